import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cacheDir, installOnce, progress, ProvisioningError, REPO_ROOT, runStep } from './cache';
import { PostgresBinaries, setPsqlPath } from './postgres';
import { DAPR_CLI_VERSION, DAPR_VERSION, FERRETDB_VERSION, HELM_VERSION, POSTGRES_MAJOR, PULSAR_VERSION } from './versions';

/** Paths of everything the local platform runs. */
export interface Binaries {
  daprd: string;
  /** Our build registers the SQLite name resolver; a `dapr init` daprd has only mDNS. */
  daprdHasSqliteResolver: boolean;
  /** The Dapr CLI's runtime path for that daprd (see daprCliRuntime): dapr.yaml's `runtimePath`. */
  daprCliRuntime: string;
  /** Dapr's certificate authority: the sidecars talk mTLS locally as they do in Kubernetes. */
  sentry: string;
  /** Folder holding Pulsar's jars (lib/) and our standalone.conf template. */
  pulsarHome: string;
  ferretdb: string;
  postgres: PostgresBinaries;
}

const HEARTBEAT_MS = 30_000;

function goEnv(): NodeJS.ProcessEnv {
  // -mod=readonly: build exactly what the committed go.mod/go.sum say, never re-resolve.
  return { ...process.env, GOFLAGS: '-mod=readonly -buildvcs=false', CGO_ENABLED: process.env.CGO_ENABLED ?? '0' };
}

function versionOf(binary: string): string | undefined {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch {
    return undefined;
  }
}

function requireTool(step: string, tool: string, hint: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
  } catch {
    throw new ProvisioningError(step, `'${tool}' is not on PATH (${hint})`);
  }
}

/**
 * daprd: DAPRD_BIN if set; else a daprd of the pinned version that `dapr init` installed; else our
 * build of the Dapr Go modules (tools/daprd, stable component set plus the SQLite name resolver).
 * mDNS works on loopback here too, but announces the machine's external address and needs
 * multicast, so our own build resolves app ids through a SQLite file in the run folder.
 */
export async function ensureDaprd(): Promise<{ daprd: string; daprdHasSqliteResolver: boolean }> {
  const step = `daprd ${DAPR_VERSION}`;
  if (process.env.DAPRD_BIN) {
    progress(step, `using DAPRD_BIN=${process.env.DAPRD_BIN} (name resolution: mDNS)`);
    return { daprd: process.env.DAPRD_BIN, daprdHasSqliteResolver: false };
  }
  const initBin = path.join(os.homedir(), '.dapr', 'bin', 'daprd');
  if (fs.existsSync(initBin) && versionOf(initBin) === DAPR_VERSION) {
    progress(step, `using ${initBin} (installed by dapr init; name resolution: mDNS)`);
    return { daprd: initBin, daprdHasSqliteResolver: false };
  }
  requireTool(step, 'go', 'install Go 1.26 or set DAPRD_BIN to an existing daprd');
  const dir = await installOnce(step, path.join(cacheDir(), `dapr-${DAPR_VERSION}`), async (staging) => {
    progress(step, 'building from the Dapr Go modules (first time: about 5 min on 2 cores, 4 GB of Go modules; later runs reuse the cache)');
    await goBuildDapr(step, 'daprd', staging, '.', ['-tags', 'stablecomponents']);
    const version = versionOf(path.join(staging, 'daprd'));
    if (version !== DAPR_VERSION) throw new ProvisioningError(step, `built binary reports version '${version}'`);
  });
  return { daprd: path.join(dir, 'daprd'), daprdHasSqliteResolver: true };
}

/** `go build` of one Dapr binary in tools/daprd's module (its go.mod pins Dapr), stamped with DAPR_VERSION. */
function goBuildDapr(step: string, binary: string, staging: string, pkg: string, flags: string[] = []): Promise<void> {
  const ldflags = `-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=${DAPR_VERSION}`;
  return runStep(step, 'go', ['build', ...flags, '-trimpath', '-ldflags', ldflags, '-o', path.join(staging, binary), pkg], {
    cwd: path.join(REPO_ROOT, 'tools', 'daprd'),
    env: goEnv(),
    heartbeatMs: HEARTBEAT_MS,
    logFile: path.join(cacheDir(), 'logs', `${binary}-build.log`),
  });
}

/**
 * Sentry, Dapr's certificate authority, built from the same Dapr Go module as daprd (the main
 * package github.com/dapr/dapr/cmd/sentry of the version tools/daprd/go.mod pins; its go.sum
 * covers it). SENTRY_BIN overrides (sentry has no --version flag, so another build cannot be checked).
 */
export async function ensureSentry(): Promise<string> {
  const step = `sentry ${DAPR_VERSION}`;
  if (process.env.SENTRY_BIN) return process.env.SENTRY_BIN;
  requireTool(step, 'go', 'install Go 1.26 or set SENTRY_BIN to an existing Dapr sentry');
  const dir = await installOnce(step, path.join(cacheDir(), `dapr-sentry-${DAPR_VERSION}`), async (staging) => {
    progress(step, 'building from the Dapr Go modules (after daprd: about a minute, the modules are cached)');
    await goBuildDapr(step, 'sentry', staging, 'github.com/dapr/dapr/cmd/sentry');
  });
  return path.join(dir, 'sentry');
}

/**
 * Pulsar standalone: the broker's runtime classpath resolved from Maven Central by
 * tools/pulsar/pom.xml, with the Maven repository inside the cache (nothing under ~/.m2).
 */
export async function ensurePulsar(): Promise<string> {
  const step = `pulsar ${PULSAR_VERSION}`;
  requireTool(step, 'mvn', 'install Maven 3 and Java 17');
  requireTool(step, 'java', 'install Java 17');
  return installOnce(step, path.join(cacheDir(), `pulsar-${PULSAR_VERSION}`), async (staging) => {
    progress(step, 'resolving the broker jars from Maven Central (first time: about a minute, 240 MB)');
    const pulsarTools = path.join(REPO_ROOT, 'tools', 'pulsar');
    await runStep(
      step,
      'mvn',
      [
        '-B',
        '-q',
        '-gs',
        path.join(pulsarTools, 'maven-settings.xml'),
        '-f',
        path.join(pulsarTools, 'pom.xml'),
        `-Dpulsar.version=${PULSAR_VERSION}`,
        `-Dmaven.repo.local=${path.join(cacheDir(), 'm2')}`,
        `-Dpulsar.lib=${path.join(staging, 'lib')}`,
        'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies',
      ],
      { heartbeatMs: HEARTBEAT_MS, logFile: path.join(cacheDir(), 'logs', 'pulsar-resolve.log') },
    );
    const jars = fs.readdirSync(path.join(staging, 'lib')).filter((f) => f.endsWith('.jar'));
    if (!jars.includes(`pulsar-broker-${PULSAR_VERSION}.jar`)) {
      throw new ProvisioningError(step, `pulsar-broker-${PULSAR_VERSION}.jar missing from the resolved classpath`);
    }
  });
}

/**
 * FerretDB 1.x embedded in a small Go module of ours (tools/ferretdb), PostgreSQL backend. The
 * cache folder is named after the version and a digest of our module, so a change to it rebuilds.
 */
export async function ensureFerretdb(): Promise<string> {
  const step = `ferretdb ${FERRETDB_VERSION}`;
  if (process.env.FERRETDB_BIN) return process.env.FERRETDB_BIN;
  requireTool(step, 'go', 'install Go 1.26, or point MONGODB_URI at an existing MongoDB');
  const moduleDir = path.join(REPO_ROOT, 'tools', 'ferretdb');
  const digest = createHash('sha256');
  for (const f of ['go.mod', 'go.sum', 'main.go']) digest.update(fs.readFileSync(path.join(moduleDir, f)));
  const dir = await installOnce(step, path.join(cacheDir(), `ferretdb-${FERRETDB_VERSION}-${digest.digest('hex').slice(0, 8)}`), async (staging) => {
    await runStep(step, 'go', ['build', '-trimpath', '-ldflags', '-s -w', '-o', path.join(staging, 'ferretdb'), '.'], {
      cwd: path.join(REPO_ROOT, 'tools', 'ferretdb'),
      env: goEnv(),
      heartbeatMs: HEARTBEAT_MS,
      logFile: path.join(cacheDir(), 'logs', 'ferretdb-build.log'),
    });
  });
  return path.join(dir, 'ferretdb');
}

/**
 * Helm v3 (offline chart rendering and linting in the tests), `go install`ed from the Go module
 * proxy (helm's go.mod has no replace directives). The k8sVersion flags are those of Helm's own
 * Makefile: without them a build defaults .Capabilities.KubeVersion to v1.20 (tools/helm/README.md).
 */
export async function ensureHelm(): Promise<string> {
  const step = `helm ${HELM_VERSION}`;
  if (process.env.HELM_BIN) return process.env.HELM_BIN;
  requireTool(step, 'go', 'install Go 1.26 or set HELM_BIN');
  const dir = await installOnce(step, path.join(cacheDir(), `helm-${HELM_VERSION}`), async (staging) => {
    const k8s = (pkg: string) => [`-X helm.sh/helm/v3/pkg/${pkg}.k8sVersionMajor=1`, `-X helm.sh/helm/v3/pkg/${pkg}.k8sVersionMinor=37`];
    const ldflags = ['-s -w', `-X helm.sh/helm/v3/internal/version.version=v${HELM_VERSION}`, ...k8s('chartutil'), ...k8s('lint/rules')].join(' ');
    await runStep(step, 'go', ['install', '-trimpath', '-ldflags', ldflags, `helm.sh/helm/v3/cmd/helm@v${HELM_VERSION}`], {
      env: { ...goEnv(), GOFLAGS: '-buildvcs=false', GOBIN: staging },
      heartbeatMs: HEARTBEAT_MS,
      logFile: path.join(cacheDir(), 'logs', 'helm-build.log'),
    });
  });
  return path.join(dir, 'helm');
}

/** Debian's Chromium for the browser tests (a system package: apt-get, as root). */
export async function ensureChromium(): Promise<string> {
  const step = 'chromium';
  const bin = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
  if (fs.existsSync(bin)) {
    progress(step, `found ${bin}`);
    return bin;
  }
  requireTool(step, 'apt-get', 'install Chromium by hand and set CHROMIUM_BIN');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const logFile = path.join(cacheDir(), 'logs', 'chromium-apt.log');
  await runStep(step, 'apt-get', ['update'], { env, logFile, heartbeatMs: HEARTBEAT_MS });
  await runStep(step, 'apt-get', ['install', '-y', '--no-install-recommends', 'chromium', 'fonts-dejavu-core'], { env, logFile, heartbeatMs: HEARTBEAT_MS });
  if (!fs.existsSync(bin)) throw new ProvisioningError(step, `${bin} still missing after apt-get install chromium`);
  return bin;
}

/**
 * PostgreSQL from Debian's packages (the store under FerretDB and the Dapr state stores), a system
 * package like Chromium: apt-get, as root, when its binaries are missing. POSTGRES_BIN overrides.
 */
export async function ensurePostgres(): Promise<PostgresBinaries> {
  const step = `postgresql ${POSTGRES_MAJOR}`;
  const bin = process.env.POSTGRES_BIN ?? `/usr/lib/postgresql/${POSTGRES_MAJOR}/bin`;
  const complete = () => ['initdb', 'postgres', 'psql'].every((b) => fs.existsSync(path.join(bin, b)));
  if (!complete()) {
    requireTool(step, 'apt-get', `install PostgreSQL ${POSTGRES_MAJOR} by hand and set POSTGRES_BIN to its bin folder`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const logFile = path.join(cacheDir(), 'logs', 'postgresql-apt.log');
    progress(step, `installing Debian's postgresql-${POSTGRES_MAJOR} (about 40 MB)`);
    await runStep(step, 'apt-get', ['update'], { env, logFile, heartbeatMs: HEARTBEAT_MS });
    await runStep(step, 'apt-get', ['install', '-y', '--no-install-recommends', `postgresql-${POSTGRES_MAJOR}`, `postgresql-client-${POSTGRES_MAJOR}`], {
      env,
      logFile,
      heartbeatMs: HEARTBEAT_MS,
    });
    if (!complete()) throw new ProvisioningError(step, `${bin} still lacks initdb, postgres or psql after apt-get install`);
  } else {
    progress(step, `found ${bin}`);
  }
  setPsqlPath(path.join(bin, 'psql'));
  return { bin };
}

/**
 * The Dapr CLI finds daprd only as `<runtime path>/.dapr/bin/daprd` (its --runtime-path flag,
 * DAPR_RUNTIME_PATH, the run file's `runtimePath`, else ~/.dapr: what `dapr init` fills). This
 * folder in the cache is that layout, a link to the daprd `npm start` runs, so dapr.yaml's
 * `runtimePath` needs no `dapr init`. Re-linked on every start (DAPRD_BIN may change it).
 */
export function daprCliRuntime(daprd: string): string {
  const runtime = path.join(cacheDir(), 'dapr-cli-runtime');
  const bin = path.join(runtime, '.dapr', 'bin');
  fs.mkdirSync(bin, { recursive: true });
  const link = path.join(bin, 'daprd');
  const next = `${link}.${process.pid}`;
  fs.rmSync(next, { force: true });
  fs.symlinkSync(path.resolve(daprd), next);
  fs.renameSync(next, link);
  return runtime;
}

/** The version `dapr version` reports for the CLI itself (`CLI version: 1.18.0`). */
function daprCliVersionOf(binary: string): string | undefined {
  try {
    return /CLI version: (\S+)/.exec(execFileSync(binary, ['version'], { encoding: 'utf8', timeout: 10_000 }))?.[1];
  } catch {
    return undefined;
  }
}

/**
 * The Dapr CLI (`dapr run -f .` with dapr.yaml): DAPR_CLI_BIN if set (a CLI of the pinned 1.18
 * line), else `go install github.com/dapr/cli@v<DAPR_CLI_VERSION>` from the Go module proxy into
 * the cache (its go.mod has no replace directives; the version ldflags are those of its Makefile).
 * Not part of `npm run setup` or `npm test`: `npm run setup -- dapr-cli`, and the dapr-cli tests.
 */
export async function ensureDaprCli(): Promise<string> {
  const step = `dapr cli ${DAPR_CLI_VERSION}`;
  const retry = 'npm run setup -- dapr-cli';
  const line = DAPR_CLI_VERSION.split('.').slice(0, 2).join('.');
  const bin = process.env.DAPR_CLI_BIN;
  if (bin) {
    const version = daprCliVersionOf(bin);
    if (!version?.startsWith(`${line}.`)) throw new ProvisioningError(step, `DAPR_CLI_BIN=${bin} reports CLI version '${version ?? 'none'}', not ${line}.x`, retry);
    progress(step, `using DAPR_CLI_BIN=${bin} (CLI version ${version})`);
    return bin;
  }
  requireTool(step, 'go', `install Go 1.26 or set DAPR_CLI_BIN to a Dapr CLI ${line}.x`);
  const dir = await installOnce(step, path.join(cacheDir(), `dapr-cli-${DAPR_CLI_VERSION}`), async (staging) => {
    progress(step, 'building from the Go module proxy (first time: a few minutes on 2 cores; most modules are shared with daprd)');
    const ldflags = `-s -w -X main.version=${DAPR_CLI_VERSION} -X main.apiVersion=1.0`;
    await runStep(step, 'go', ['install', '-trimpath', '-ldflags', ldflags, `github.com/dapr/cli@v${DAPR_CLI_VERSION}`], {
      env: { ...goEnv(), GOFLAGS: '-buildvcs=false', GOBIN: staging },
      heartbeatMs: HEARTBEAT_MS,
      logFile: path.join(cacheDir(), 'logs', 'dapr-cli-build.log'),
      retry: `${retry} (or set DAPR_CLI_BIN to a Dapr CLI ${line}.x)`,
    });
    // The module's main package is its root: `go install` names the binary after the module, `cli`.
    fs.renameSync(path.join(staging, 'cli'), path.join(staging, 'dapr'));
    const version = daprCliVersionOf(path.join(staging, 'dapr'));
    if (version !== DAPR_CLI_VERSION) throw new ProvisioningError(step, `built binary reports CLI version '${version}'`, retry);
  });
  return path.join(dir, 'dapr');
}

/** What `npm start` needs. */
export async function ensureRuntime(): Promise<Binaries> {
  // One after the other: each build uses both cores, and their logs stay readable.
  const dapr = await ensureDaprd();
  const sentry = await ensureSentry();
  const pulsarHome = await ensurePulsar();
  const postgres = await ensurePostgres();
  const ferretdb = await ensureFerretdb();
  return { ...dapr, daprCliRuntime: daprCliRuntime(dapr.daprd), sentry, pulsarHome, ferretdb, postgres };
}
