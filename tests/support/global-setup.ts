/**
 * Starts one real platform for the whole integration run: Pulsar standalone, FerretDB and the
 * three services each with its daprd, on free ports (so it runs beside a developer's `npm start`),
 * in a fresh folder under the cache. The tests find it through AEROALPES_TEST_STACK.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { cacheDir, ensureRuntime, freePortPlan, removeRunData, startStack, Stack } from '@aeroalpes/platform';
import { TEST_DB, StackInfo } from './stack';

declare global {
  var __AEROALPES_STACK__: Stack | undefined;
  var __AEROALPES_CONTROL__: http.Server | undefined;
}

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const binaries = await ensureRuntime();
  const runDir = path.join(cacheDir(), 'run', `test-${process.pid}`);
  removeRunData(runDir);
  const ports = await freePortPlan();
  const log = (line: string) => process.stdout.write(`[platform] ${line}\n`);
  const stack = await startStack(binaries, {
    runDir,
    ports,
    mongoDb: TEST_DB,
    serviceEnv: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', RELAY_INTERVALO_MS: '500', RELAY_EDAD_MINIMA_MS: '2000' },
    log,
  });
  globalThis.__AEROALPES_STACK__ = stack;
  // Tests run in their own module registry and cannot hold the Stack; this loopback endpoint lets
  // them stop, crash and restart its processes (POST /stop/NAME, /kill/NAME, /start/NAME).
  const control = http.createServer((req, res) => {
    const [, accion, nombre] = (req.url ?? '').split('/');
    const hecho = (status: number, cuerpo: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(cuerpo));
    if (req.method !== 'POST' || !nombre || !['stop', 'kill', 'start'].includes(accion ?? '')) return hecho(404, { error: 'POST /stop|kill|start/NAME' });
    const operacion = accion === 'start' ? stack.startProcess(nombre).then((p) => ({ pid: p.pid })) : stack.stopProcess(nombre, accion === 'kill').then(() => ({}));
    operacion.then(
      (r) => hecho(200, r),
      (err: unknown) => hecho(500, { error: String(err) }),
    );
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  control.unref();
  globalThis.__AEROALPES_CONTROL__ = control;
  const info: StackInfo = {
    controlUrl: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
    runDir,
    ports,
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
