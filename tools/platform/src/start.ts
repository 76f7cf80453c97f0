/**
 * `npm start`: provisions what is missing, starts Pulsar, FerretDB and the three services each
 * with its daprd, waits until all are healthy, prints the URLs; Ctrl-C stops everything it
 * started and nothing else.
 */
import fs from 'node:fs';
import { ProvisioningError } from './cache';
import { StartupError } from './processes';
import { ensureRuntime } from './provision';
import { DEFAULT_PORTS, localRunDir, Stack, startStack, tokensFile } from './stack';

async function main(): Promise<void> {
  const started = Date.now();
  const binaries = await ensureRuntime();
  const runDir = localRunDir();
  fs.mkdirSync(runDir, { recursive: true });
  // Assigned once, but `let`: stop() below may run (a signal) before startStack has returned.
  // eslint-disable-next-line prefer-const
  let stack: Stack | undefined;
  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${why}: stopping everything this launcher started...`);
    await stack?.stop();
    console.log('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('Ctrl-C'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGHUP', () => void stop('SIGHUP'));

  stack = await startStack(binaries, {
    runDir,
    ports: DEFAULT_PORTS,
    mongoDb: process.env.MONGODB_DB ?? 'aeroalpes',
    ...(process.env.MONGODB_URI ? { mongoUri: process.env.MONGODB_URI } : {}),
    ...(process.env.PULSAR_BROKER && process.env.PULSAR_ADMIN_URL ? { pulsar: { broker: process.env.PULSAR_BROKER, admin: process.env.PULSAR_ADMIN_URL } } : {}),
  });
  const a = stack.endpoints('aeroalpes');
  const ui = stack.endpoints('ui');
  const n = stack.endpoints('notificaciones');
  console.log(`
AeroAlpes is up (${((Date.now() - started) / 1000).toFixed(1)} s).
  Web page (UI):          ${ui.http}/
  REST API:               ${a.http}/vuelos   (OpenAPI: ${a.http}/spec)
  gRPC via Dapr sidecar:  127.0.0.1:${DEFAULT_PORTS.gateway.daprGrpc}   (the API clients' sidecar: metadata dapr-app-id: aeroalpes, npm run cli)
  Sidecar API tokens:     ${tokensFile(runDir)}   (every sidecar requires its token: header dapr-api-token)
  Notificaciones:         ${n.http}/notificaciones
  Pulsar admin:           ${stack.pulsarAdmin}/admin/v2/schemas/public/default/eventos-reserva/schema
  MongoDB:                ${stack.mongoUri}
  Logs:                   ${runDir}/logs/
Press Ctrl-C to stop.`);
  // If any process dies, say so and take the rest down: a half-running system helps nobody.
  await Promise.race(stack.processes.map(async (p) => ({ p, code: await p.wait() }))).then(async ({ p, code }) => {
    if (stopping) return;
    console.error(`\n${p.name} exited (code ${code}); last log lines (${p.logFile}):\n${p.tail()}`);
    stopping = true;
    await stack?.stop();
    process.exit(1);
  });
}

main().catch((err: unknown) => {
  if (err instanceof ProvisioningError || err instanceof StartupError) console.error(`\n${err.message}`);
  else console.error(err);
  process.exit(1);
});
