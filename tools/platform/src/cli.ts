/**
 * `npm run cli -- ...`: the gRPC command-line client (services/aeroalpes/dist/cli/main.js) with the
 * API token of the local API clients' sidecar (app id `gateway`) taken from the running
 * `npm start` (its tokens.json), unless DAPR_API_TOKEN is already set. The client itself reads
 * only its environment; this wrapper is the local run's convenience.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './cache';
import { GATEWAY, localRunDir, tokensFile } from './stack';

const env = { ...process.env };
if (!env.DAPR_API_TOKEN) {
  const file = tokensFile(localRunDir());
  if (fs.existsSync(file)) {
    const tokens = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, { api?: string }>;
    if (tokens[GATEWAY]?.api) env.DAPR_API_TOKEN = tokens[GATEWAY].api;
  }
}
const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'services', 'aeroalpes', 'dist', 'cli', 'main.js'), ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
