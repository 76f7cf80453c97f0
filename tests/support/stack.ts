/** What an integration test knows of the running platform (written by global-setup). */
import fs from 'node:fs';
import type { PortPlan, PostgresInfo, ServiceName } from '@aeroalpes/platform';

/** The only database the tests write to; guardDatabase() refuses any other. */
export const TEST_DB = 'aeroalpes_test';

export interface StackInfo {
  /** Loopback endpoint of the test run's launcher: stop, kill and start its processes. */
  controlUrl: string;
  runDir: string;
  ports: PortPlan;
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

export function url(service: ServiceName | 'gateway', kind: 'http' | 'daprHttp' = 'http'): string {
  const { ports } = stackInfo();
  if (service === 'gateway') return `http://127.0.0.1:${ports.gateway.daprHttp}`;
  return `http://127.0.0.1:${ports.services[service][kind]}`;
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

/** Stops (SIGTERM), kills (SIGKILL: a crash) or starts again one process of the platform. */
export async function controlar(accion: 'stop' | 'kill' | 'start', proceso: string): Promise<void> {
  const res = await fetch(`${stackInfo().controlUrl}/${accion}/${proceso}`, { method: 'POST' });
  if (res.status !== 200) throw new Error(`${accion} ${proceso}: ${res.status} ${await res.text()}`);
}
