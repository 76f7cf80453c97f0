/**
 * Starts one real platform for the whole integration run: Pulsar standalone, FerretDB and the
 * three services each with its daprd, on free ports (so it runs beside a developer's `npm start`),
 * in a fresh folder under the cache. The tests find it through AEROALPES_TEST_STACK.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir, ensureRuntime, freePortPlan, startStack, Stack } from '@aeroalpes/platform';
import { TEST_DB, StackInfo } from './stack';

declare global {
  // eslint-disable-next-line no-var
  var __AEROALPES_STACK__: Stack | undefined;
}

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const binaries = await ensureRuntime();
  const runDir = path.join(cacheDir(), 'run', `test-${process.pid}`);
  fs.rmSync(runDir, { recursive: true, force: true });
  const ports = await freePortPlan();
  const log = (line: string) => process.stdout.write(`[platform] ${line}\n`);
  const stack = await startStack(binaries, {
    runDir,
    ports,
    mongoDb: TEST_DB,
    serviceEnv: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', RELAY_INTERVAL_MS: '500' },
    log,
  });
  globalThis.__AEROALPES_STACK__ = stack;
  const info: StackInfo = {
    runDir,
    ports,
    mongoUri: stack.mongoUri,
    mongoDb: TEST_DB,
    pulsarAdmin: stack.pulsarAdmin,
    pulsarBroker: stack.pulsarBroker,
    pids: Object.fromEntries(stack.processes.map((p) => [p.name, p.pid ?? 0])),
  };
  const file = path.join(runDir, 'stack.json');
  fs.writeFileSync(file, JSON.stringify(info, null, 2));
  process.env.AEROALPES_TEST_STACK = file;
  log(`platform up in ${((Date.now() - started) / 1000).toFixed(1)} s (${runDir})`);
}
