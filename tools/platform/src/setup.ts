/**
 * `npm run setup`: provisions everything the project runs and tests with, into the cache
 * (AEROALPES_CACHE, default ~/.cache/aeroalpes). Idempotent: what is cached is skipped.
 * `npm run setup -- runtime` provisions only what `npm start` needs; `npm run setup -- dapr-cli`
 * what `npm start` needs and the Dapr CLI (dapr.yaml, `npm run test:dapr-cli`), which nothing else needs.
 */
import { ProvisioningError } from './cache';
import { ensureChromium, ensureDaprCli, ensureHelm, ensureRuntime } from './provision';
import { ensureK8sValidation } from './k8s-tools';

async function main(): Promise<void> {
  const only = process.argv[2];
  if (only !== undefined && only !== 'runtime' && only !== 'dapr-cli') {
    console.error(`[setup] unknown part '${only}': npm run setup [-- runtime | dapr-cli]`);
    process.exit(2);
  }
  const started = Date.now();
  await ensureRuntime();
  if (only === 'dapr-cli') {
    await ensureDaprCli();
  } else if (only !== 'runtime') {
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
