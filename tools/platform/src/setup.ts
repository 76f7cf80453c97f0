/**
 * `npm run setup`: provisions everything the project runs and tests with, into the cache
 * (AEROALPES_CACHE, default ~/.cache/aeroalpes). Idempotent: what is cached is skipped.
 * `npm run setup -- runtime` provisions only what `npm start` needs.
 */
import { ProvisioningError } from './cache';
import { ensureChromium, ensureHelm, ensureRuntime } from './provision';
import { ensureK8sValidation } from './k8s-tools';

async function main(): Promise<void> {
  const only = process.argv[2];
  const started = Date.now();
  await ensureRuntime();
  if (only !== 'runtime') {
    await ensureHelm();
    await ensureK8sValidation();
    await ensureChromium();
  }
  console.log(`[setup] done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err: unknown) => {
  console.error(err instanceof ProvisioningError ? `\n[setup] ${err.message}` : err);
  process.exit(1);
});
