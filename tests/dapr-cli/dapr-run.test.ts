/**
 * The Dapr CLI path (dapr.yaml): the platform without services (Pulsar, PostgreSQL + FerretDB,
 * Sentry on the CLI's fixed port, the API clients' sidecar `gateway`), then `dapr run -f` with the
 * Dapr CLI 1.18 starts the three services and their sidecars from dapr.yaml (rendered with this
 * run's ports), with mTLS from that Sentry and one pair of API tokens. Real CLI, real daprd x4,
 * real Pulsar and FerretDB. Its own platform, so not in the integration project: run it with
 * `npm run test:dapr-cli` (under the platform lock); the CLI comes from `npm run setup -- dapr-cli`
 * or DAPR_CLI_BIN.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  cacheDir,
  CLI_SENTRY_PORT,
  ensureDaprCli,
  ensureRuntime,
  freePortPlan,
  GATEWAY,
  httpOk,
  ManagedProcess,
  PortPlan,
  portInUse,
  REPO_ROOT,
  removeRunData,
  renderComponents,
  renderRunFile,
  SERVICES,
  ServiceName,
  Stack,
  startStack,
  waitUntil,
} from '@aeroalpes/platform';
import { eventually, guardDatabase } from '../support/stack';

import RESERVA from '../../examples/reserva.json';

const DB = guardDatabase('aeroalpes_dapr_cli_test');
const runDir = path.join(cacheDir(), 'run', `test-dapr-cli-${process.pid}`);
const logDir = path.join(runDir, 'logs');
const tokens = { app: randomBytes(32).toString('base64url'), api: randomBytes(32).toString('base64url') };

let stack: Stack | undefined;
let cli: ManagedProcess | undefined;
let ports: PortPlan;
let daprCliRuntime: string;
/** What `dapr run` started (its children): each daprd and each app, recorded once all are ready. */
let hijos: { pid: number; argv: string[] }[] = [];

/** The processes whose parent is `pid` (Linux /proc), with their command lines. */
function hijosDe(pid: number): { pid: number; argv: string[] }[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid !== pid) return [];
        return [{ pid: Number(d), argv: fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').filter(Boolean) }];
      } catch {
        return []; // ended meanwhile
      }
    });
}

const vivo = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// The CLI runs one instance of each app, on the ports the plan gives the first replica.
const http = (app: ServiceName) => `http://127.0.0.1:${ports.services[app][0]!.http}`;
const sidecar = (app: ServiceName | 'gateway') => `http://127.0.0.1:${app === 'gateway' ? ports.gateway.daprHttp : ports.services[app][0]!.daprHttp}`;

async function notificacion(idReserva: string, tipo: string): Promise<Record<string, unknown>> {
  return eventually(`${tipo} of ${idReserva} in notificaciones`, async () => {
    const res = await fetch(`${http('notificaciones')}/notificaciones?id_reserva=${idReserva}`);
    const { notificaciones } = (await res.json()) as { notificaciones: Record<string, unknown>[] };
    return notificaciones.find((n) => n.tipo === tipo);
  });
}

/** Every port of a plan. */
const puertos = (plan: PortPlan): number[] => (JSON.stringify(plan).match(/\d+/g) ?? []).map(Number);

// Provisioning (a cold CLI build) and the platform's start take minutes on 2 cores.
beforeAll(async () => {
  const bins = await ensureRuntime();
  daprCliRuntime = bins.daprCliRuntime;
  const daprCli = await ensureDaprCli();
  if (await portInUse(CLI_SENTRY_PORT)) {
    throw new Error(`127.0.0.1:${CLI_SENTRY_PORT} is in use (an \`npm start\` with its services holds it): the Dapr CLI sends every sidecar to Sentry there. Stop it first.`);
  }
  removeRunData(runDir);
  fs.mkdirSync(logDir, { recursive: true });
  // Free ports, but Sentry where the CLI looks for it (and no other piece there).
  do ports = await freePortPlan();
  while (puertos(ports).includes(CLI_SENTRY_PORT));
  ports.sentry = CLI_SENTRY_PORT;
  const log = (line: string) => process.stdout.write(`[platform] ${line}\n`);
  // AEROALPES_REPLICAS=0: the infrastructure, Sentry and the gateway sidecar, no service.
  stack = await startStack(bins, { runDir, ports, mongoDb: DB, replicas: { aeroalpes: 0, notificaciones: 0, ui: 0 }, log });
  // The components of the three apps, as the launcher renders them for its own sidecars.
  renderComponents(runDir, stack.pulsarBroker, bins.daprdHasSqliteResolver, stack.postgres!, SERVICES);
  const runFile = renderRunFile({
    runDir,
    ports,
    daprCliRuntime: bins.daprCliRuntime,
    mongoUri: stack.mongoUri,
    mongoDb: DB,
    env: { LOG_LEVEL: 'warn', RELAY_INTERVALO_MS: '500', RELAY_EDAD_MINIMA_MS: '2000' },
  });
  // What the README tells a user to export. DAPR_RUNTIME_PATH stays unset (see dapr.yaml).
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DAPR_TRUST_ANCHORS: fs.readFileSync(path.join(runDir, 'sentry', 'credentials', 'ca.crt'), 'utf8'),
    APP_API_TOKEN: tokens.app,
    DAPR_API_TOKEN: tokens.api,
    // The ui's per-replica subscription (components/pubsub-broadcast.yaml) is named after it.
    POD_NAME: 'ui-1',
  };
  delete env.DAPR_RUNTIME_PATH;
  // Stopped as a user stops it: Ctrl-C (SIGINT).
  cli = ManagedProcess.start('dapr-cli', daprCli, ['run', '-f', runFile], { logDir, cwd: runDir, env, stopSignal: 'SIGINT', stopGraceMs: 30_000 });
  log(`dapr run -f ${runFile} (pid ${cli.pid}); its output: ${cli.logFile}`);
  for (const app of SERVICES) {
    await waitUntil(cli, `${app} ready`, () => httpOk(`${http(app)}/health/ready`), 120_000);
    await waitUntil(cli, `${app}'s sidecar healthy`, () => httpOk(`${sidecar(app)}/v1.0/healthz`), 60_000);
  }
  hijos = hijosDe(cli.pid!);
}, 600_000);

afterAll(async () => {
  await cli?.stop();
  for (const h of hijos.filter((x) => vivo(x.pid))) process.kill(h.pid, 'SIGKILL');
  await stack?.stop();
  const keep = path.join(REPO_ROOT, 'test-results', 'logs', 'dapr-cli');
  fs.rmSync(keep, { recursive: true, force: true });
  if (fs.existsSync(logDir)) fs.cpSync(logDir, keep, { recursive: true });
  removeRunData(runDir);
  // The CLI creates <appDirPath>/.dapr/logs even when every log goes to its output: removed when
  // empty (a folder with files in it is a user's own `dapr run`'s and stays).
  for (const app of SERVICES) {
    for (const dir of [path.join('.dapr', 'logs'), '.dapr']) {
      try {
        fs.rmdirSync(path.join(REPO_ROOT, 'services', app, dir));
      } catch {
        // not empty, or absent
      }
    }
  }
}, 120_000);

describe('dapr run -f (dapr.yaml) on the platform without services', () => {
  test("starts each service with its own daprd: our daprd through runtimePath, mTLS with the run's Sentry, no placement or scheduler", () => {
    const daprds = hijos.filter((h) => path.basename(h.argv[0] ?? '') === 'daprd');
    const apps = hijos.filter((h) => h.argv.includes('dist/main.js'));
    const flag = (argv: string[], name: string) => (argv.includes(name) ? (argv[argv.indexOf(name) + 1] ?? '') : undefined);
    expect(daprds.map((d) => flag(d.argv, '--app-id')).sort()).toEqual([...SERVICES].sort());
    expect(apps).toHaveLength(3);
    for (const d of daprds) {
      expect(fs.realpathSync(`/proc/${d.pid}/exe`)).toBe(fs.realpathSync(path.join(daprCliRuntime, '.dapr', 'bin', 'daprd')));
      expect(d.argv).toContain('--enable-mtls');
      expect(flag(d.argv, '--sentry-address')).toBe(`localhost:${CLI_SENTRY_PORT}`);
      expect(flag(d.argv, '--config')).toBe(path.join(runDir, 'config.yaml'));
      expect(flag(d.argv, '--dapr-listen-addresses')).toBe('127.0.0.1');
      expect(flag(d.argv, '--placement-host-address')).toBeUndefined();
      expect(flag(d.argv, '--scheduler-host-address')).toBeUndefined();
    }
  });

  test('asynchronous create: 202 -> command through Pulsar -> read model -> ReservaCreada recorded by notificaciones', async () => {
    const res = await fetch(`${http('aeroalpes')}/vuelos/reserva-comando`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(RESERVA) });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const vista = await eventually('the read model', async () => {
      const q = await fetch(`${http('aeroalpes')}/vuelos/reserva-query/${id}`);
      return q.status === 200 ? ((await q.json()) as Record<string, unknown>) : undefined;
    });
    expect(vista).toMatchObject({ id, estado: 'Pendiente', itinerarios: RESERVA.itinerarios });
    expect(await notificacion(id, 'ReservaCreada')).toMatchObject({ id_reserva: id, estado: 'Pendiente' });
  });

  test("the ui creates through aeroalpes (service invocation, allowed for the ui's SPIFFE id); notificaciones may not invoke it", async () => {
    const res = await fetch(`${http('ui')}/api/reservas`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(RESERVA) });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    expect(await notificacion(id, 'ReservaCreada')).toMatchObject({ id_reserva: id });

    const negada = await fetch(`${sidecar('notificaciones')}/v1.0/invoke/aeroalpes/method/vuelos/reservas`, { headers: { 'dapr-api-token': tokens.api } });
    expect(negada.status).toBe(403);
    expect(await negada.text()).toContain('access control policy has denied access to id: spiffe://public/ns/default/notificaciones');
  });

  test("the launcher's gateway sidecar reaches the aeroalpes the CLI started (one name resolver, one CA)", async () => {
    const res = await fetch(`${sidecar('gateway')}/v1.0/invoke/aeroalpes/method/vuelos/reservas`, { headers: { 'dapr-api-token': stack!.tokens[GATEWAY]!.api } });
    expect(res.status).toBe(200);
    expect((await res.json()) as unknown).toMatchObject({ reservas: expect.any(Array) });
  });

  test('the exported tokens reach both sides: each sidecar requires DAPR_API_TOKEN, each app APP_API_TOKEN', async () => {
    for (const app of SERVICES) {
      expect((await fetch(`${sidecar(app)}/v1.0/metadata`)).status).toBe(401);
      expect((await fetch(`${sidecar(app)}/v1.0/metadata`, { headers: { 'dapr-api-token': tokens.api } })).status).toBe(200);
    }
    expect((await fetch(`${http('ui')}/dapr/subscribe`)).status).toBe(401);
    expect((await fetch(`${http('ui')}/dapr/subscribe`, { headers: { 'dapr-api-token': tokens.app } })).status).toBe(200);
  });

  test('Ctrl-C stops every daprd and app it started and leaves the platform running', async () => {
    expect(hijos).toHaveLength(6);
    await cli!.stop();
    // 0: it shut down by itself within the grace period (a SIGKILL after it would read 128).
    expect(await cli!.wait()).toBe(0);
    await eventually("the CLI's children to end", async () => (hijos.some((h) => vivo(h.pid)) ? undefined : true), 15_000);
    for (const app of SERVICES) expect(await portInUse(ports.services[app][0]!.http)).toBe(false);
    expect(await httpOk(`${sidecar('gateway')}/v1.0/healthz`)).toBe(true);
  });
});
