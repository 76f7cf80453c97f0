import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, removeRunData } from '@aeroalpes/platform';

/** Stops every process the run started and deletes its data; its logs are kept in test-results/logs/<platform>/. */
export default async function globalTeardown(): Promise<void> {
  globalThis.__AEROALPES_CONTROL__?.close();
  const stack = globalThis.__AEROALPES_STACK__;
  if (!stack) return;
  await stack.stop();
  globalThis.__AEROALPES_STACK__ = undefined;
  const logs = path.join(stack.options.runDir, 'logs');
  const keep = path.join(REPO_ROOT, 'test-results', 'logs', globalThis.__AEROALPES_PLATAFORMA__ ?? 'integration');
  fs.rmSync(keep, { recursive: true, force: true });
  if (fs.existsSync(logs)) fs.cpSync(logs, keep, { recursive: true });
  removeRunData(stack.options.runDir);
}
