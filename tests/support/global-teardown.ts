import { removeRunData } from '@aeroalpes/platform';
import { guardarRegistros } from './global-setup';

/** Stops every process the run started and deletes its data; its logs are kept in test-results/logs/<platform>/. */
export default async function globalTeardown(): Promise<void> {
  globalThis.__AEROALPES_CONTROL__?.close();
  const stack = globalThis.__AEROALPES_STACK__;
  if (!stack) return;
  await stack.stop();
  globalThis.__AEROALPES_STACK__ = undefined;
  guardarRegistros(stack.options.runDir, globalThis.__AEROALPES_PLATAFORMA__ ?? 'integration');
  removeRunData(stack.options.runDir);
}
