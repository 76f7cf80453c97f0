/**
 * Starts one real platform for a whole jest project: Pulsar standalone, PostgreSQL with FerretDB on
 * it, Sentry, and each service's replicas each with its daprd, on free ports (so it runs beside a
 * developer's `npm start`), in a fresh folder under the cache, supervised as `npm start` is (a
 * process that dies is restarted). The tests find it through AEROALPES_TEST_STACK. One platform per
 * jest run: select one platform project at a time (npm test does).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { cacheDir, describirReplicas, ensureRuntime, freePortPlan, removeRunData, REPO_ROOT, Replicas, startStack, Stack, Supervisor, UNA_REPLICA } from '@aeroalpes/platform';
import { TEST_DB, StackInfo, type Proceso } from './stack';

declare global {
  var __AEROALPES_STACK__: Stack | undefined;
  var __AEROALPES_CONTROL__: http.Server | undefined;
  /** The name of the running platform (OpcionesPlataforma.nombre). */
  var __AEROALPES_PLATAFORMA__: string | undefined;
}

export interface OpcionesPlataforma {
  /** Names the run folder and the log folder kept in test-results/. */
  nombre: string;
  replicas?: Replicas;
  /** The services' LOG_LEVEL (default warn; LOG_LEVEL in the environment wins). */
  nivelLog?: string;
}

export async function levantarPlataforma({ nombre, replicas = UNA_REPLICA, nivelLog = 'warn' }: OpcionesPlataforma): Promise<void> {
  if (globalThis.__AEROALPES_STACK__) {
    throw new Error(`a platform is already running in this jest run: select one platform project at a time (--selectProjects ${nombre})`);
  }
  const started = Date.now();
  const binaries = await ensureRuntime();
  const runDir = path.join(cacheDir(), 'run', `test-${nombre}-${process.pid}`);
  removeRunData(runDir);
  const ports = await freePortPlan(replicas);
  const log = (line: string) => process.stdout.write(`[platform] ${line}\n`);
  log(`starting the ${nombre} platform: ${describirReplicas(replicas)}`);
  let stack: Stack;
  try {
    stack = await startStack(binaries, {
      runDir,
      ports,
      replicas,
      mongoDb: TEST_DB,
      serviceEnv: { LOG_LEVEL: process.env.LOG_LEVEL ?? nivelLog, RELAY_INTERVALO_MS: '500', RELAY_EDAD_MINIMA_MS: '2000' },
      log,
    });
  } catch (error) {
    // startStack stopped what it started; jest runs no teardown after a failed setup: keep the
    // logs, delete the data.
    guardarRegistros(runDir, nombre);
    removeRunData(runDir);
    throw error;
  }
  globalThis.__AEROALPES_STACK__ = stack;
  globalThis.__AEROALPES_PLATAFORMA__ = nombre;
  // Healing as npm start does; what it did is in the log kept with the run's logs.
  const registro = path.join(runDir, 'logs', 'supervisor.log');
  const supervisor = stack.supervise({
    log: (linea) => fs.appendFileSync(registro, `${new Date().toISOString()} ${linea}\n`),
    alRendirse: (_nombre, motivo) => fs.appendFileSync(registro, `${new Date().toISOString()} giving up: ${motivo}\n`),
  });
  const control = servidorDeControl(stack, supervisor);
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  control.unref();
  globalThis.__AEROALPES_CONTROL__ = control;
  const info: StackInfo = {
    controlUrl: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
    runDir,
    ports,
    replicas,
    mongoUri: stack.mongoUri,
    mongoDb: TEST_DB,
    pulsarAdmin: stack.pulsarAdmin,
    pulsarBroker: stack.pulsarBroker,
    ...(stack.postgres ? { postgres: stack.postgres } : {}),
    pids: Object.fromEntries(stack.processes.map((p) => [p.name, p.pid ?? 0])),
    tokens: stack.tokens,
  };
  const file = path.join(runDir, 'stack.json');
  fs.writeFileSync(file, JSON.stringify(info, null, 2), { mode: 0o600 });
  process.env.AEROALPES_TEST_STACK = file;
  log(`platform up in ${((Date.now() - started) / 1000).toFixed(1)} s (${runDir})`);
}

/** Copies a run's logs to test-results/logs/<platform>/ (replacing the previous run's). */
export function guardarRegistros(runDir: string, nombre: string): void {
  const logs = path.join(runDir, 'logs');
  const keep = path.join(REPO_ROOT, 'test-results', 'logs', nombre);
  fs.rmSync(keep, { recursive: true, force: true });
  if (fs.existsSync(logs)) fs.cpSync(logs, keep, { recursive: true });
}

/**
 * Tests run in their own module registry and cannot hold the Stack; this loopback endpoint lets
 * them stop, crash and restart its processes (POST /stop/NAME, /kill/NAME: kept down until POST
 * /start/NAME) and see every process with its current pid and restarts (GET /procesos).
 */
function servidorDeControl(stack: Stack, supervisor: Supervisor): http.Server {
  return http.createServer((req, res) => {
    const [, accion, nombre] = (req.url ?? '').split('/');
    const hecho = (status: number, cuerpo: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(cuerpo));
    if (req.method === 'GET' && accion === 'procesos' && !nombre) {
      const reinicios = new Map(supervisor.estado().map((e) => [e.nombre, e.reinicios]));
      const lista: Proceso[] = stack.processes.map((p) => ({ nombre: p.name, pid: p.pid ?? 0, vivo: p.running, reinicios: reinicios.get(p.name) ?? 0 }));
      return hecho(200, lista);
    }
    if (req.method !== 'POST' || !nombre || !['stop', 'kill', 'start'].includes(accion ?? '')) return hecho(404, { error: 'POST /stop|kill|start/NAME, GET /procesos' });
    const operacion = accion === 'start' ? stack.startProcess(nombre).then((p) => ({ pid: p.pid })) : stack.stopProcess(nombre, accion === 'kill').then(() => ({}));
    operacion.then(
      (r) => hecho(200, r),
      (err: unknown) => hecho(500, { error: String(err) }),
    );
  });
}

/** The integration project's platform: one replica of each service. */
export default function globalSetup(): Promise<void> {
  return levantarPlataforma({ nombre: 'integration' });
}
