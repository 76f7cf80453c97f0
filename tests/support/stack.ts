/** What an integration test knows of the running platform (written by global-setup). */
import fs from 'node:fs';
import type { PortPlan, PostgresInfo, Replicas, ServiceName } from '@aeroalpes/platform';

/** The only database the tests write to; guardDatabase() refuses any other. */
export const TEST_DB = 'aeroalpes_test';

export interface StackInfo {
  /** Loopback endpoint of the test run's launcher: stop, kill and start its processes. */
  controlUrl: string;
  runDir: string;
  ports: PortPlan;
  /** How many replicas of each service this platform runs. */
  replicas: Replicas;
  mongoUri: string;
  mongoDb: string;
  pulsarAdmin: string;
  pulsarBroker: string;
  /** The local PostgreSQL under FerretDB and the state stores (statistics, plans). */
  postgres?: PostgresInfo;
  pids: Record<string, number>;
  /** This run's tokens per app id (Stack.tokens): `api` is what the app id's sidecar requires. */
  tokens: Record<string, { app?: string; api: string }>;
}

export function stackInfo(): StackInfo {
  const file = process.env.AEROALPES_TEST_STACK;
  if (!file) throw new Error('AEROALPES_TEST_STACK is not set: run integration tests with `npm run test:integration` (jest --selectProjects integration)');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as StackInfo;
}

/** Where replica `k` (1-based) of a service listens (its own port, or its daprd's HTTP port). */
export function url(service: ServiceName | 'gateway', kind: 'http' | 'daprHttp' = 'http', k = 1): string {
  const { ports } = stackInfo();
  if (service === 'gateway') return `http://127.0.0.1:${ports.gateway.daprHttp}`;
  const p = ports.services[service][k - 1];
  if (!p) throw new Error(`this platform runs no replica ${k} of ${service}`);
  return `http://127.0.0.1:${p[kind]}`;
}

/** fetch on `app`'s sidecar (path from /v1.0/...), with its API token. */
export function sidecarFetch(app: ServiceName | 'gateway', ruta: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${url(app, 'daprHttp')}${ruta}`, { ...init, headers: { ...tokenSidecar(app), ...(init.headers as Record<string, string> | undefined) } });
}

/** The header a call to `app`'s sidecar carries: its API token (every sidecar requires its own). */
export function tokenSidecar(app: ServiceName | 'gateway'): Record<string, string> {
  const token = stackInfo().tokens[app]?.api;
  if (!token) throw new Error(`no API token for the sidecar of ${app} in this run`);
  return { 'dapr-api-token': token };
}

/** Refuses to touch a database whose name does not mark it as a test database. */
export function guardDatabase(name: string): string {
  if (!/(^test_|_test$)/.test(name)) throw new Error(`refusing to write to database '${name}': test databases are named *_test or test_*`);
  return name;
}

/** Polls `fn` until it returns a value that is not undefined, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Stops (SIGTERM) or kills (SIGKILL) one process of the platform and keeps it down (the launcher's
 * supervisor leaves it alone), or starts it again. A crash the supervisor should heal is a plain
 * `process.kill(pid, 'SIGKILL')` on a pid from procesos().
 */
export async function controlar(accion: 'stop' | 'kill' | 'start', proceso: string): Promise<void> {
  const res = await fetch(`${stackInfo().controlUrl}/${accion}/${proceso}`, { method: 'POST' });
  if (res.status !== 200) throw new Error(`${accion} ${proceso}: ${res.status} ${await res.text()}`);
}

/** A process of the platform as the launcher sees it now. */
export interface Proceso {
  nombre: string;
  pid: number;
  vivo: boolean;
  /** Times the supervisor restarted it. */
  reinicios: number;
}

/** Every process of the platform, with its current pid (it changes when one is restarted). */
export async function procesos(): Promise<Proceso[]> {
  const res = await fetch(`${stackInfo().controlUrl}/procesos`);
  if (res.status !== 200) throw new Error(`GET /procesos: ${res.status} ${await res.text()}`);
  return (await res.json()) as Proceso[];
}

/** The current instance of one process (fails if there is no such process). */
export async function proceso(nombre: string): Promise<Proceso> {
  const p = (await procesos()).find((x) => x.nombre === nombre);
  if (!p) throw new Error(`no process named ${nombre}`);
  return p;
}
