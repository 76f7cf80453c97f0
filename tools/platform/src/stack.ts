import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { cacheDir, REPO_ROOT } from './cache';
import { httpOk, ManagedProcess, portInUse, StartupError, waitUntil } from './processes';
import { initCluster, postgresConnectionString, PostgresInfo, postgresInfo, postgresUrl, prepareDatabases, serverReady, startServer } from './postgres';
import { Binaries } from './provision';
import { instanciaReplica, nombreReplica, replicaPorts, Replicas, UNA_REPLICA } from './replicas';
import { OpcionesSupervisor, Supervisado, Supervisor } from './supervisor';
import { PULSAR_VERSION } from './versions';

export type ServiceName = 'aeroalpes' | 'notificaciones' | 'ui';
export const SERVICES: ServiceName[] = ['aeroalpes', 'notificaciones', 'ui'];

/** A daprd's own ports. */
export interface SidecarPorts {
  daprHttp: number;
  daprGrpc: number;
  daprInternal: number;
  metrics: number;
}

export interface ServicePorts extends SidecarPorts {
  /** The service's own HTTP port (REST API, web page, Dapr app port of HTTP apps). */
  http: number;
  /** AeroAlpes only: its gRPC server, which is its Dapr app port (app-protocol grpc). */
  grpc?: number;
  daprHttp: number;
  daprGrpc: number;
  daprInternal: number;
  metrics: number;
}

export interface PortPlan {
  pulsarBroker: number;
  pulsarWeb: number;
  /** The bookie embedded in Pulsar standalone. */
  pulsarBookie: number;
  mongo: number;
  /** The local PostgreSQL (under FerretDB, and the Dapr state stores); not 5432, to never meet a system one. */
  postgres: number;
  /** Dapr's Sentry (the local certificate authority of the sidecars' mTLS), its health and metrics. */
  sentry: number;
  sentryHealth: number;
  sentryMetrics: number;
  /** Each service's replicas, the first one first (locally: replicaPorts). */
  services: Record<ServiceName, ServicePorts[]>;
  /** The local API clients' sidecar (app id `gateway`): the CLI's default DAPR_GRPC_PORT. */
  gateway: SidecarPorts;
}

/**
 * Where the Dapr CLI sends every daprd for its certificates when the Configuration says
 * `mtls.enabled`: fixed in the CLI (dapr/cli 1.18.0, pkg/standalone/run.go, sentryDefaultAddress
 * `localhost:50001`; no flag, field or variable changes it). The platform's Sentry must listen there
 * for the CLI's sidecars, so no daprd gRPC port of dapr.yaml may be 50001.
 */
export const CLI_SENTRY_PORT = 50001;

/** The first replica's local ports: those of the original system where they apply (REST 5000, UI 5678, gRPC 50051). */
const PRIMERA_REPLICA: Record<ServiceName, ServicePorts> = {
  aeroalpes: { http: 5000, grpc: 50051, daprHttp: 3500, daprGrpc: 50001, daprInternal: 50101, metrics: 9090 },
  notificaciones: { http: 5001, daprHttp: 3501, daprGrpc: 50002, daprInternal: 50102, metrics: 9091 },
  ui: { http: 5678, daprHttp: 3502, daprGrpc: 50003, daprInternal: 50103, metrics: 9092 },
};

/** The local run's ports for these replicas (npm start): fixed, the scheme of replicaPorts. */
export function localPortPlan(replicas: Replicas = UNA_REPLICA): PortPlan {
  const services = Object.fromEntries(SERVICES.map((s) => [s, Array.from({ length: replicas[s] }, (_, i) => replicaPorts(s, PRIMERA_REPLICA[s], i + 1))])) as Record<
    ServiceName,
    ServicePorts[]
  >;
  return {
    pulsarBroker: 6650,
    pulsarWeb: 8080,
    pulsarBookie: 3181,
    mongo: 27017,
    postgres: 55432,
    // Without aeroalpes' sidecars (AEROALPES_REPLICAS=0, the platform for `dapr run -f .`), Sentry
    // takes 50001, where the Dapr CLI sends every sidecar (fixed in the CLI; dapr-cli.ts); with
    // them, 50001 is aeroalpes' first daprd gRPC port and Sentry keeps 50200.
    sentry: replicas.aeroalpes === 0 ? CLI_SENTRY_PORT : 50200,
    sentryHealth: 50201,
    sentryMetrics: 9093,
    services,
    gateway: { daprHttp: 3503, daprGrpc: 50004, daprInternal: 50104, metrics: 9094 },
  };
}

/** A plan of currently free ports for these replicas (tests run beside a developer's `npm start`). */
export async function freePortPlan(replicas: Replicas = UNA_REPLICA): Promise<PortPlan> {
  const servers: net.Server[] = [];
  const take = async (): Promise<number> => {
    const server = net.createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as net.AddressInfo).port;
  };
  const service = async (grpc: boolean): Promise<ServicePorts> => ({
    http: await take(),
    ...(grpc ? { grpc: await take() } : {}),
    daprHttp: await take(),
    daprGrpc: await take(),
    daprInternal: await take(),
    metrics: await take(),
  });
  const plan: PortPlan = {
    pulsarBroker: await take(),
    pulsarWeb: await take(),
    pulsarBookie: await take(),
    mongo: await take(),
    postgres: await take(),
    sentry: await take(),
    sentryHealth: await take(),
    sentryMetrics: await take(),
    services: { aeroalpes: [], notificaciones: [], ui: [] },
    gateway: { daprHttp: await take(), daprGrpc: await take(), daprInternal: await take(), metrics: await take() },
  };
  for (const s of SERVICES) for (let k = 0; k < replicas[s]; k++) plan.services[s].push(await service(s === 'aeroalpes'));
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return plan;
}

export interface StackOptions {
  /** Folder for this run's data, logs and rendered components (a fresh one per test run). */
  runDir: string;
  ports: PortPlan;
  /** MongoDB database of aeroalpes (tests: a name ending in _test). */
  mongoDb: string;
  /** Use an existing MongoDB instead of starting FerretDB. */
  mongoUri?: string;
  /** Use an existing Pulsar (host:port of the broker, and its admin URL) instead of the standalone. */
  pulsar?: { broker: string; admin: string };
  /** How many replicas of each service to start (default one each; 0: none). One daprd each. */
  replicas?: Replicas;
  /** Extra environment for the services (e.g. shorter relay intervals in tests). */
  serviceEnv?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export interface ServiceEndpoints {
  http: string;
  grpc?: string;
  daprHttp: string;
  daprGrpc: string;
}

/** Starts of one process at platform start before one that keeps exiting fails the start (Stack.watch). */
const STARTS_BEFORE_READY = 3;

/**
 * A running local platform. `stop()` ends everything it started, in reverse order. Once
 * `supervise()` is called, a process that dies on its own is restarted (supervisor.ts); one stopped
 * through `stopProcess` stays down until `startProcess`.
 */
export class Stack implements Supervisado {
  readonly processes: ManagedProcess[] = [];
  /** How to tell each process is ready again after a restart. */
  readonly readiness = new Map<string, { what: string; probe: () => Promise<boolean>; timeoutMs: number }>();
  /** What must run before a process starts again (Pulsar: clearing its stale metadata after a crash). */
  readonly beforeRestart = new Map<string, () => Promise<void>>();
  /** Processes an operator (or a test) stopped on purpose: not restarted until started again. */
  readonly #held = new Set<string>();
  #supervisor: Supervisor | undefined;
  #stopping = false;
  /** The local PostgreSQL, once started. */
  postgres: PostgresInfo | undefined;
  /**
   * This run's tokens per app id (generated at start, never logged): `app` is the one daprd sends
   * to the app (APP_API_TOKEN), `api` the one its sidecar requires (DAPR_API_TOKEN).
   */
  readonly tokens: Record<string, { app?: string; api: string }> = {};
  constructor(
    readonly options: StackOptions,
    readonly mongoUri: string,
    readonly pulsarAdmin: string,
    readonly pulsarBroker: string,
  ) {}

  /** The number of replicas of each service this platform runs. */
  get replicas(): Replicas {
    return this.options.replicas ?? UNA_REPLICA;
  }

  /** Where replica `k` (1-based) of a service listens. */
  endpoints(service: ServiceName, k = 1): ServiceEndpoints {
    const p = this.options.ports.services[service][k - 1];
    if (!p) throw new Error(`${service} has no replica ${k}`);
    return {
      http: `http://127.0.0.1:${p.http}`,
      ...(p.grpc ? { grpc: `127.0.0.1:${p.grpc}` } : {}),
      daprHttp: `http://127.0.0.1:${p.daprHttp}`,
      daprGrpc: `127.0.0.1:${p.daprGrpc}`,
    };
  }

  process(name: string): ManagedProcess | undefined {
    return this.processes.find((p) => p.name === name);
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#supervisor?.detener();
    for (const proc of [...this.processes].reverse()) await proc.stop();
  }

  /** From now on a process that dies on its own is started again (see supervisor.ts). */
  supervise(options: OpcionesSupervisor): Supervisor {
    this.#supervisor ??= new Supervisor(this, options);
    for (const proc of this.processes) if (proc.running) this.#supervisor.vigilar(proc);
    return this.#supervisor;
  }

  /** Stops one process (SIGTERM, or SIGKILL when `crash`) and keeps it down until startProcess. */
  async stopProcess(name: string, crash = false): Promise<void> {
    const proc = this.process(name);
    if (!proc) throw new Error(`no process named ${name}`);
    this.#held.add(name);
    await (crash ? proc.kill() : proc.stop());
  }

  /** Starts a process stopped by stopProcess again, with the same command line, and waits until it is ready. */
  async startProcess(name: string): Promise<ManagedProcess> {
    const old = this.process(name);
    if (!old) throw new Error(`no process named ${name}`);
    if (old.running) throw new Error(`${name} is still running`);
    this.#held.delete(name);
    const proc = await this.relanzar(name);
    this.#supervisor?.vigilar(proc);
    return proc;
  }

  retenido(name: string): boolean {
    return this.#held.has(name);
  }

  /** Starts the named process again exactly as it was started (after its beforeRestart step) and waits until it is ready. */
  async relanzar(name: string): Promise<ManagedProcess> {
    const index = this.processes.findIndex((p) => p.name === name);
    const old = this.processes[index];
    if (!old) throw new Error(`no process named ${name}`);
    await this.beforeRestart.get(name)?.();
    // Checked right before the start: stop() ends the processes it finds, so none may appear after it.
    if (this.#stopping) throw new Error(`not restarting ${name}: the platform is stopping`);
    const proc = old.startAgain();
    this.processes[index] = proc;
    await this.untilReady(proc);
    return proc;
  }

  /**
   * Records how `proc` shows it is ready (for restarts too) and waits until it is. A process that
   * exits before it is ready is started again, up to STARTS_BEFORE_READY times with a growing pause,
   * as Kubernetes restarts a container: a start-up race (two sidecars creating the state store's
   * metadata table at once) must not fail the platform. Not ready in time, or still exiting after
   * that, fails with its last log lines.
   */
  async watch(proc: ManagedProcess, what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    this.readiness.set(proc.name, { what, probe, timeoutMs });
    let current = proc;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.untilReady(current);
      } catch (error) {
        if (current.running || attempt >= STARTS_BEFORE_READY || this.#stopping) throw error;
        this.options.log?.(`${proc.name} exited before ${what} (start ${attempt} of ${STARTS_BEFORE_READY}); starting it again; last log lines:\n${current.tail(5)}`);
        await new Promise((r) => setTimeout(r, 1000 * attempt));
        await this.beforeRestart.get(proc.name)?.();
        if (this.#stopping) throw error;
        current = current.startAgain();
        this.processes[this.processes.findIndex((p) => p.name === proc.name)] = current;
      }
    }
  }

  private async untilReady(proc: ManagedProcess): Promise<void> {
    const ready = this.readiness.get(proc.name);
    if (ready) await waitUntil(proc, ready.what, ready.probe, ready.timeoutMs);
  }
}

/** A parsed Dapr resource (Component, Configuration, ...), edited in place: its shape depends on its kind. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type DaprResource = any;

/** Reads a YAML file of Dapr resources, lets `edit` change each document, writes it to `to`. */
function renderResource(from: string, to: string, edit: (doc: DaprResource) => void): void {
  const docs = parseAllDocuments(fs.readFileSync(from, 'utf8')).map((d) => d.toJS());
  docs.forEach(edit);
  fs.writeFileSync(to, docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n'));
}

function setMetadata(doc: DaprResource, name: string, value: string): void {
  const item = (doc.spec.metadata as { name: string; value: string }[]).find((m) => m.name === name);
  if (!item) throw new Error(`component ${doc.metadata.name} has no metadata '${name}'`);
  item.value = value;
}

/**
 * Copies components/ into the run folder with this run's values (ports, connection strings, file
 * paths), one folder per app: the state store gets the app's own table (tablePrefix `<app>_`). The
 * structure, names, types and scopes stay those of components/.
 */
export function renderComponents(
  runDir: string,
  pulsarBroker: string,
  sqliteResolver: boolean,
  pg: PostgresInfo,
  apps: readonly string[] = SERVICES,
): { resources: Record<string, string>; config: string } {
  const src = path.join(REPO_ROOT, 'components');
  const resources: Record<string, string> = {};
  for (const app of apps) {
    const dir = path.join(runDir, 'components', app);
    fs.mkdirSync(dir, { recursive: true });
    for (const file of fs.readdirSync(src).filter((f) => f.endsWith('.yaml') && f !== 'config.yaml')) {
      renderResource(path.join(src, file), path.join(dir, file), (doc) => {
        if (doc.kind !== 'Component') return;
        if (doc.spec.type.startsWith('pubsub.pulsar')) setMetadata(doc, 'host', pulsarBroker);
        if (doc.spec.type === 'state.postgresql') {
          setMetadata(doc, 'connectionString', postgresConnectionString(pg, pg.stateDatabase));
          setMetadata(doc, 'tablePrefix', `${app.replace(/[^a-z0-9]/gi, '_')}_`);
        }
      });
    }
    resources[app] = dir;
  }
  const config = path.join(runDir, 'config.yaml');
  renderResource(path.join(src, 'config.yaml'), config, (doc) => {
    if (sqliteResolver) doc.spec.nameResolution.configuration.connectionString = path.join(runDir, 'nameresolution.db');
    else delete doc.spec.nameResolution; // mDNS, the self-hosted default
    const otlp = tracingExporter();
    if (otlp) doc.spec.tracing = { samplingRate: process.env.TRACING_SAMPLING_RATE ?? '1', otel: otlp };
  });
  return { resources, config };
}

/**
 * Node's flags for the services. In a container Node sizes its heap from the memory limit; on a
 * developer's machine it would size it from all the RAM and let garbage pile up before collecting
 * it, so the launcher bounds the old generation the way a container limit would
 * (SERVICE_HEAP_MB, default 128; 0 leaves Node's default), and keeps the young generation's
 * semi-spaces at 4 MB instead of 16 (SERVICE_SEMI_SPACE_MB; the chart's nodeOptions does the same):
 * measured, ~25 MB less RSS per service at the same CPU and latency.
 */
function serviceNodeFlags(): string[] {
  const heap = Number(process.env.SERVICE_HEAP_MB ?? 128);
  const semi = Number(process.env.SERVICE_SEMI_SPACE_MB ?? 4);
  return [
    '--enable-source-maps',
    ...(Number.isInteger(heap) && heap > 0 ? [`--max-old-space-size=${heap}`] : []),
    ...(Number.isInteger(semi) && semi > 0 ? [`--max-semi-space-size=${semi}`] : []),
  ];
}

/**
 * Tracing is sampled only when someone collects it: OTEL_EXPORTER_OTLP_ENDPOINT (host:port of an
 * OTLP collector; OTEL_EXPORTER_OTLP_PROTOCOL grpc (default) or http, OTEL_EXPORTER_OTLP_INSECURE)
 * turns it on for every sidecar, at TRACING_SAMPLING_RATE (default 1).
 */
function tracingExporter(): { endpointAddress: string; isSecure: boolean; protocol: string } | undefined {
  const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!endpoint) return undefined;
  return {
    endpointAddress: endpoint.replace(/^https?:\/\//, ''),
    isSecure: /^https:/.test(endpoint) || process.env.OTEL_EXPORTER_OTLP_INSECURE === 'false',
    protocol: process.env.OTEL_EXPORTER_OTLP_PROTOCOL === 'http' ? 'http' : 'grpc',
  };
}

async function assertPortsFree(plan: PortPlan, opts: StackOptions): Promise<void> {
  const wanted: [string, number][] = [];
  if (!opts.pulsar) wanted.push(['Pulsar broker', plan.pulsarBroker], ['Pulsar web/admin', plan.pulsarWeb], ['Pulsar bookie', plan.pulsarBookie]);
  if (!opts.mongoUri) wanted.push(['FerretDB', plan.mongo]);
  wanted.push(['PostgreSQL', plan.postgres], ['Sentry', plan.sentry], ['Sentry health', plan.sentryHealth], ['Sentry metrics', plan.sentryMetrics]);
  const replicas = opts.replicas ?? UNA_REPLICA;
  for (const s of SERVICES) {
    for (let k = 1; k <= replicas[s]; k++) {
      const p = plan.services[s][k - 1];
      const r = nombreReplica(s, k);
      if (!p) throw new StartupError(`no ports planned for ${r}`);
      wanted.push(
        [`${r} http`, p.http],
        [`${r} daprd http`, p.daprHttp],
        [`${r} daprd grpc`, p.daprGrpc],
        [`${r} daprd internal grpc`, p.daprInternal],
        [`${r} daprd metrics`, p.metrics],
      );
      if (p.grpc) wanted.push([`${r} grpc`, p.grpc]);
    }
  }
  const g = plan.gateway;
  wanted.push(
    [`${GATEWAY} daprd http`, g.daprHttp],
    [`${GATEWAY} daprd grpc`, g.daprGrpc],
    [`${GATEWAY} daprd internal grpc`, g.daprInternal],
    [`${GATEWAY} daprd metrics`, g.metrics],
  );
  const busy: string[] = [];
  await Promise.all(wanted.map(async ([what, port]) => (await portInUse(port)) && busy.push(`${port} (${what})`)));
  if (busy.length > 0) {
    throw new StartupError(
      `port(s) in use: ${busy.sort().join(', ')}. Is AeroAlpes already running (npm start in another terminal)? Stop it first, or stop whatever holds these ports.`,
    );
  }
}

/**
 * The JVM flags of Pulsar's own `bin/pulsar standalone` and `conf/pulsar_env.sh`, sized for a
 * 2-core machine (512 MB heap, 256 MB direct memory, JVM-default GC thread counts), with our log4j2
 * file and without the ZooKeeper and functions flags (neither runs). tools/pulsar/README.md.
 */
function pulsarArgs(home: string, dir: string, ports: PortPlan): string[] {
  const data = path.join(dir, 'data');
  return [
    '-Xms512m',
    '-Xmx512m',
    '-XX:MaxDirectMemorySize=256m',
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=10',
    '-XX:+ParallelRefProcEnabled',
    '-XX:+UnlockExperimentalVMOptions',
    '-XX:+DoEscapeAnalysis',
    '-XX:G1NewSizePercent=50',
    '-XX:+DisableExplicitGC',
    '-Djava.net.preferIPv4Stack=true',
    '-Dio.netty.tryReflectionSetAccessible=true',
    '--add-opens',
    'java.base/java.io=ALL-UNNAMED',
    '--add-opens',
    'java.base/java.util.zip=ALL-UNNAMED',
    '--add-opens',
    'java.base/java.nio=ALL-UNNAMED',
    '--add-opens',
    'java.base/jdk.internal.misc=ALL-UNNAMED',
    '--add-opens',
    'java.base/sun.net=ALL-UNNAMED',
    '--add-opens',
    'java.management/sun.management=ALL-UNNAMED',
    '-Dpulsar.allocator.exit_on_oom=true',
    '-Dio.netty.recycler.maxCapacityPerThread=4096',
    `-Dlog4j.configurationFile=${path.join(REPO_ROOT, 'tools', 'pulsar', 'log4j2.xml')}`,
    '-Dlog4j.shutdownHookEnabled=false',
    '-Dlog4j2.is.webapp=false',
    '-Dlog4j2.contextSelector=org.apache.logging.log4j.core.async.AsyncLoggerContextSelector',
    '-Dlog4j2.enableThreadlocals=true',
    '-Dlog4j2.enableDirectEncoders=true',
    `-Dpulsar.log.dir=${path.join(dir, 'logs')}`,
    `-Dpulsar.log.level=${process.env.PULSAR_LOG_LEVEL ?? 'info'}`,
    '-Dpulsar.log.root.level=info',
    '-Dbookkeeper.metadata.bookie.drivers=org.apache.pulsar.metadata.bookkeeper.PulsarMetadataBookieDriver',
    '-Dbookkeeper.metadata.client.drivers=org.apache.pulsar.metadata.bookkeeper.PulsarMetadataClientDriver',
    '-cp',
    `${path.join(home, 'lib')}/*`,
    'org.apache.pulsar.PulsarStandaloneStarter',
    '--config',
    path.join(dir, 'standalone.conf'),
    '--no-functions-worker',
    '--no-stream-storage',
    '--metadata-dir',
    path.join(data, 'metadata'),
    '--bookkeeper-dir',
    path.join(data, 'bookkeeper'),
    // Never created: if it existed the starter would switch to ZooKeeper mode.
    '--zookeeper-dir',
    path.join(data, 'zookeeper'),
    '--bookkeeper-port',
    String(ports.pulsarBookie),
  ];
}

/**
 * Renders tools/pulsar/standalone.conf with this run's ports into the instance folder. Pulsar has
 * no flag or environment override for the broker and web ports, so the lines are replaced.
 */
function renderPulsarConf(dir: string, ports: PortPlan): void {
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
  const overrides: Record<string, string> = {
    brokerServicePort: String(ports.pulsarBroker),
    webServicePort: String(ports.pulsarWeb),
    ...(process.platform === 'darwin' ? { listeningInterface: 'lo0' } : {}),
  };
  let text = fs.readFileSync(path.join(REPO_ROOT, 'tools', 'pulsar', 'standalone.conf'), 'utf8');
  for (const [key, value] of Object.entries(overrides)) {
    const line = new RegExp(`^${key}=.*$`, 'm');
    if (!line.test(text)) throw new Error(`tools/pulsar/standalone.conf has no line ${key}=`);
    text = text.replace(line, `${key}=${value}`);
  }
  fs.writeFileSync(path.join(dir, 'standalone.conf'), text);
}

/**
 * After an unclean stop, Pulsar 4.0's RocksDB metadata store can keep stale ephemeral entries that
 * make the bookie livelock at start; tools/pulsar/ClearStaleEphemerals.java removes them first.
 */
async function clearStaleEphemerals(home: string, dir: string, logDir: string): Promise<void> {
  const metadata = path.join(dir, 'data', 'metadata');
  if (!fs.existsSync(metadata)) return;
  const proc = ManagedProcess.start(
    'pulsar-clear-ephemerals',
    'java',
    ['-cp', `${path.join(home, 'lib')}/*`, path.join(REPO_ROOT, 'tools', 'pulsar', 'ClearStaleEphemerals.java'), metadata],
    { logDir },
  );
  const code = await proc.wait();
  if (code === 2) throw new StartupError(`another Pulsar is using ${metadata}: stop it first`);
  if (code !== 0) throw new StartupError(`clearing Pulsar's stale metadata failed (exit ${code}); log: ${proc.logFile}\n${proc.tail()}`);
}

/**
 * Sentry in self-hosted mode: it creates a root and an issuer certificate in the run folder the
 * first time (valid a year, kept for later runs of the same folder) and signs each sidecar's
 * workload certificate (SPIFFE id spiffe://public/ns/default/<app-id>, 24 h), which is the caller
 * identity the invocation policy of components/config.yaml checks. Everything on loopback.
 */
function startSentry(bins: Binaries, runDir: string, ports: PortPlan, logDir: string): { proc: ManagedProcess; trustAnchors: () => string } {
  const dir = path.join(runDir, 'sentry');
  const credentials = path.join(dir, 'credentials');
  fs.mkdirSync(credentials, { recursive: true, mode: 0o700 });
  const config = path.join(dir, 'config.yaml');
  fs.writeFileSync(
    config,
    stringify({
      apiVersion: 'dapr.io/v1alpha1',
      kind: 'Configuration',
      metadata: { name: 'daprsystem' },
      spec: { mtls: { enabled: true, workloadCertTTL: '24h', allowedClockSkew: '15m' } },
    }),
  );
  const proc = ManagedProcess.start(
    'sentry',
    bins.sentry,
    [
      '--config',
      config,
      '--issuer-credentials',
      credentials,
      '--listen-address',
      '127.0.0.1',
      '--port',
      String(ports.sentry),
      '--healthz-listen-address',
      '127.0.0.1',
      '--healthz-port',
      String(ports.sentryHealth),
      '--metrics-listen-address',
      '127.0.0.1',
      '--metrics-port',
      String(ports.sentryMetrics),
      '--log-level',
      process.env.DAPR_LOG_LEVEL ?? 'info',
    ],
    { logDir, cwd: dir },
  );
  return { proc, trustAnchors: () => fs.readFileSync(path.join(credentials, 'ca.crt'), 'utf8') };
}

/** Ready once the starter has created public/default (its last step) and a bookie round trip works. */
async function pulsarReady(admin: string): Promise<boolean> {
  if (!(await httpOk(`${admin}/admin/v2/namespaces/public/default`))) return false;
  return httpOk(`${admin}/admin/v2/brokers/health`);
}

/** The app id of the local API clients' sidecar (see startStack). */
export const GATEWAY = 'gateway';

/** A fresh random token (256 bits, URL-safe): one per service and kind, per run. */
function nuevoToken(): string {
  return randomBytes(32).toString('base64url');
}

/** daprd's flags: loopback only, mTLS with the run's Sentry, no placement or scheduler. */
function daprdArgs(appId: string, p: SidecarPorts, resources: string, config: string, sentryPort: number, app?: { port: number; protocol: 'grpc' | 'http' }): string[] {
  return [
    ...['--app-id', appId],
    ...(app ? ['--app-port', String(app.port), '--app-protocol', app.protocol, '--app-channel-address', '127.0.0.1'] : []),
    ...['--dapr-listen-addresses', '127.0.0.1'],
    ...['--dapr-http-port', String(p.daprHttp), '--dapr-grpc-port', String(p.daprGrpc), '--dapr-internal-grpc-port', String(p.daprInternal)],
    ...['--metrics-port', String(p.metrics), '--metrics-listen-address', '127.0.0.1'],
    ...['--dapr-internal-grpc-listen-address', '127.0.0.1'],
    ...['--resources-path', resources, '--config', config],
    ...['--placement-host-address', '', '--scheduler-host-address', ''],
    ...['--enable-mtls', '--sentry-address', `127.0.0.1:${sentryPort}`],
    ...['--log-level', process.env.DAPR_LOG_LEVEL ?? 'info'],
  ];
}

export async function startStack(bins: Binaries, opts: StackOptions): Promise<Stack> {
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const { ports, runDir } = opts;
  const logDir = path.join(runDir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  await assertPortsFree(ports, opts);

  const pulsarBroker = opts.pulsar?.broker ?? `127.0.0.1:${ports.pulsarBroker}`;
  const pulsarAdmin = opts.pulsar?.admin ?? `http://127.0.0.1:${ports.pulsarWeb}`;
  const mongoUri = opts.mongoUri ?? `mongodb://127.0.0.1:${ports.mongo}/`;
  const stack = new Stack(opts, mongoUri, pulsarAdmin, pulsarBroker);

  try {
    const infra: Promise<void>[] = [];
    if (!opts.pulsar) {
      const dir = path.join(runDir, 'pulsar');
      renderPulsarConf(dir, ports);
      await clearStaleEphemerals(bins.pulsarHome, dir, logDir);
      const env = { ...process.env };
      delete env.PULSAR_STANDALONE_USE_ZOOKEEPER;
      const pulsar = ManagedProcess.start('pulsar', 'java', pulsarArgs(bins.pulsarHome, dir, ports), { logDir, cwd: dir, env, stopGraceMs: 30_000 });
      stack.processes.push(pulsar);
      // After a crash (kill -9) its metadata store may hold stale ephemeral entries: clear them first.
      stack.beforeRestart.set(pulsar.name, () => clearStaleEphemerals(bins.pulsarHome, dir, logDir));
      log(`starting Pulsar ${PULSAR_VERSION} standalone (pid ${pulsar.pid}) on ${pulsarBroker}, admin ${pulsarAdmin}`);
      infra.push(stack.watch(pulsar, 'broker ready', () => pulsarReady(pulsarAdmin), 180_000));
    }
    // PostgreSQL first: FerretDB and the state stores live in it.
    const cluster = await initCluster(bins.postgres, runDir, logDir);
    const pg = postgresInfo(ports.postgres, cluster.password);
    const postgres = startServer(bins.postgres, cluster.data, ports.postgres, logDir);
    stack.processes.push(postgres);
    log(`starting PostgreSQL (pid ${postgres.pid}) on 127.0.0.1:${ports.postgres}, cluster ${cluster.dir}`);
    await stack.watch(postgres, 'accepting connections', () => serverReady(pg), 60_000);
    await prepareDatabases(pg);
    stack.postgres = pg;
    if (!opts.mongoUri) {
      const ferret = ManagedProcess.start(
        'ferretdb',
        bins.ferretdb,
        ['--listen-addr', `127.0.0.1:${ports.mongo}`, '--postgresql-url', postgresUrl(pg, pg.ferretDatabase), '--log-level', process.env.FERRETDB_LOG_LEVEL ?? 'error'],
        { logDir },
      );
      stack.processes.push(ferret);
      log(`starting FerretDB (pid ${ferret.pid}) on ${mongoUri}, on PostgreSQL database ${pg.ferretDatabase}`);
      infra.push(stack.watch(ferret, 'accepting connections', () => portInUse(ports.mongo), 60_000));
    }
    const sentry = startSentry(bins, runDir, ports, logDir);
    stack.processes.push(sentry.proc);
    log(`starting Sentry (pid ${sentry.proc.pid}) on 127.0.0.1:${ports.sentry}: the sidecars talk mTLS`);
    infra.push(stack.watch(sentry.proc, 'issuing certificates', () => httpOk(`http://127.0.0.1:${ports.sentryHealth}/healthz`), 60_000));
    await Promise.all(infra);
    log('infrastructure ready');
    const trustAnchors = sentry.trustAnchors();

    const replicas = stack.replicas;
    const services = SERVICES.filter((s) => replicas[s] > 0);
    // Every app's components, replicas or not: `dapr run -f .` (dapr.yaml) reads them from here.
    const { resources, config } = renderComponents(runDir, pulsarBroker, bins.daprdHasSqliteResolver, pg, [...SERVICES, GATEWAY]);
    const sidecar = (name: string, appId: string, p: SidecarPorts, env: NodeJS.ProcessEnv, app?: { port: number; protocol: 'grpc' | 'http' }) =>
      ManagedProcess.start(`${name}-daprd`, bins.daprd, daprdArgs(appId, p, resources[appId]!, config, ports.sentry, app), {
        logDir,
        cwd: runDir,
        // The tokens go by environment, never on a command line (ps shows those to every user).
        env: { ...process.env, DAPR_TRUST_ANCHORS: trustAnchors, ...env },
      });
    const ready: Promise<void>[] = [];
    for (const service of services) {
      // One pair of tokens per app id, shared by its replicas (in Kubernetes: one Secret per service).
      const tokens = { app: nuevoToken(), api: nuevoToken() };
      stack.tokens[service] = tokens;
      for (let k = 1; k <= replicas[service]; k++) {
        const p = ports.services[service][k - 1]!;
        const name = nombreReplica(service, k);
        // Dapr's {podName} (the ui's per-replica subscription) and the instance in the logs.
        const instance = instanciaReplica(service, k);
        const env: NodeJS.ProcessEnv = {
          ...process.env,
          ...opts.serviceEnv,
          APP_ID: service,
          POD_NAME: instance,
          PORT: String(p.http),
          DAPR_HTTP_PORT: String(p.daprHttp),
          DAPR_GRPC_PORT: String(p.daprGrpc),
          DAPR_HOST: '127.0.0.1',
          MONGODB_URI: mongoUri,
          MONGODB_DB: opts.mongoDb,
          // Locally everything listens on loopback: nothing here is for other machines.
          HOST: '127.0.0.1',
          APP_API_TOKEN: tokens.app,
          DAPR_API_TOKEN: tokens.api,
          ...(p.grpc ? { GRPC_PORT: String(p.grpc), GRPC_HOST: '127.0.0.1' } : {}),
        };
        const app = ManagedProcess.start(name, process.execPath, [...serviceNodeFlags(), path.join(REPO_ROOT, 'services', service, 'dist', 'main.js')], {
          logDir,
          env,
          cwd: runDir,
        });
        const daprd = sidecar(
          name,
          service,
          p,
          { DAPR_API_TOKEN: tokens.api, APP_API_TOKEN: tokens.app, POD_NAME: instance },
          { port: p.grpc ?? p.http, protocol: p.grpc ? 'grpc' : 'http' },
        );
        stack.processes.push(app, daprd);
        log(`starting ${name} (pid ${app.pid}, http ${p.http}${p.grpc ? `, grpc ${p.grpc}` : ''}) and its daprd (pid ${daprd.pid}, http ${p.daprHttp}, grpc ${p.daprGrpc})`);
        ready.push(
          (async () => {
            // Ready: its dependencies answer (aeroalpes: MongoDB; all: the sidecar's outbound health,
            // which does not wait for the app, so the two cannot wait on each other).
            await stack.watch(app, 'ready', () => httpOk(`http://127.0.0.1:${p.http}/health/ready`), 60_000);
            // 204 once the sidecar has its components and its app channel up.
            await stack.watch(daprd, 'sidecar healthy', () => httpOk(`http://127.0.0.1:${p.daprHttp}/v1.0/healthz`), 90_000);
          })(),
        );
      }
    }
    // The local API clients' own sidecar (the CLI, grpcurl, the tests): what a client pod's sidecar
    // is in Kubernetes. No app behind it; the access policy lets it call aeroalpes' API only.
    const gateway = { api: nuevoToken() };
    stack.tokens[GATEWAY] = gateway;
    const gatewayd = sidecar(GATEWAY, GATEWAY, ports.gateway, { DAPR_API_TOKEN: gateway.api, POD_NAME: `${GATEWAY}-1` });
    stack.processes.push(gatewayd);
    log(`starting the API clients' sidecar (app id ${GATEWAY}, pid ${gatewayd.pid}) on gRPC 127.0.0.1:${ports.gateway.daprGrpc}, HTTP 127.0.0.1:${ports.gateway.daprHttp}`);
    ready.push(stack.watch(gatewayd, 'sidecar healthy', () => httpOk(`http://127.0.0.1:${ports.gateway.daprHttp}/v1.0/healthz`), 90_000));
    await Promise.all(ready);
    // For the local clients of the sidecars (npm run cli, the tests): readable by this user only.
    fs.writeFileSync(tokensFile(runDir), JSON.stringify(stack.tokens, null, 2), { mode: 0o600 });
    return stack;
  } catch (err) {
    await stack.stop();
    throw err;
  }
}

/** Where a run keeps its tokens (see Stack.tokens). */
export function tokensFile(runDir: string): string {
  return path.join(runDir, 'tokens.json');
}

export function localRunDir(name = 'local'): string {
  return path.join(cacheDir(), 'run', name);
}
