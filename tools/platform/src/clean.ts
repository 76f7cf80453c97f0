/**
 * `npm run clean`: deletes the local run's data and logs (reservas, broker data, state, the
 * PostgreSQL clusters).
 * `npm run clean -- --all` also deletes the provisioned binaries and jars (the whole cache).
 */
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir } from './cache';
import { ROOT_PG_DIR } from './postgres';
import { portInUse } from './processes';
import { localPortPlan } from './stack';

async function main(): Promise<void> {
  const ports = localPortPlan();
  if ((await portInUse(ports.pulsarWeb)) || (await portInUse(ports.services.aeroalpes[0]!.http))) {
    console.error('AeroAlpes seems to be running (ports 8080/5000 in use): stop it (Ctrl-C in its terminal) before cleaning.');
    process.exit(1);
  }
  const target = process.argv.includes('--all') ? cacheDir() : path.join(cacheDir(), 'run');
  fs.rmSync(target, { recursive: true, force: true });
  console.log(`deleted ${target}`);
  // As root, the PostgreSQL clusters of the runs live outside the cache (postgres.ts).
  if (process.getuid?.() === 0 && fs.existsSync(ROOT_PG_DIR)) {
    fs.rmSync(ROOT_PG_DIR, { recursive: true, force: true });
    console.log(`deleted ${ROOT_PG_DIR} (PostgreSQL data of the runs)`);
  }
}

void main();
