/**
 * `npm start`: provisions what is missing, starts Pulsar, PostgreSQL, FerretDB and each service's
 * replicas (AEROALPES_REPLICAS, default one each) with a daprd each, waits until all are healthy,
 * prints the URLs. A process that dies is restarted with backoff (supervisor.ts); one that keeps
 * dying quickly takes the platform down. Ctrl-C stops everything it started and nothing else.
 */
import fs from 'node:fs';
import { ProvisioningError } from './cache';
import { StartupError } from './processes';
import { ensureRuntime } from './provision';
import { describirReplicas, leerReplicas, nombreReplica, ReplicasInvalidas } from './replicas';
import { localPortPlan, localRunDir, SERVICES, Stack, startStack, tokensFile } from './stack';

async function main(): Promise<void> {
  const started = Date.now();
  const replicas = leerReplicas(process.env.AEROALPES_REPLICAS);
  const ports = localPortPlan(replicas);
  const binaries = await ensureRuntime();
  const runDir = localRunDir();
  fs.mkdirSync(runDir, { recursive: true });
  // Assigned once, but `let`: stop() below may run (a signal) before startStack has returned.
  // eslint-disable-next-line prefer-const
  let stack: Stack | undefined;
  let stopping = false;
  const stop = async (why: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${why}: stopping everything this launcher started...`);
    await stack?.stop();
    console.log('stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop('Ctrl-C'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGHUP', () => void stop('SIGHUP'));

  console.log(`replicas: ${describirReplicas(replicas)}`);
  stack = await startStack(binaries, {
    runDir,
    ports,
    replicas,
    mongoDb: process.env.MONGODB_DB ?? 'aeroalpes',
    ...(process.env.MONGODB_URI ? { mongoUri: process.env.MONGODB_URI } : {}),
    ...(process.env.PULSAR_BROKER && process.env.PULSAR_ADMIN_URL ? { pulsar: { broker: process.env.PULSAR_BROKER, admin: process.env.PULSAR_ADMIN_URL } } : {}),
  });
  const porReplica = (s: (typeof SERVICES)[number], linea: (k: number) => string) =>
    Array.from({ length: replicas[s] }, (_, i) => `    ${nombreReplica(s, i + 1).padEnd(18)} ${linea(i + 1)}`).join('\n');
  const lineas = [
    `AeroAlpes is up (${((Date.now() - started) / 1000).toFixed(1)} s): ${describirReplicas(replicas)}.`,
    ...(replicas.ui > 0 ? ['  Web page (UI):', porReplica('ui', (k) => `${stack.endpoints('ui', k).http}/`)] : []),
    ...(replicas.aeroalpes > 0 ? ['  REST API (OpenAPI at /spec):', porReplica('aeroalpes', (k) => `${stack.endpoints('aeroalpes', k).http}/vuelos`)] : []),
    ...(replicas.notificaciones > 0 ? ['  Notificaciones:', porReplica('notificaciones', (k) => `${stack.endpoints('notificaciones', k).http}/notificaciones`)] : []),
    `  gRPC via Dapr sidecar:  127.0.0.1:${ports.gateway.daprGrpc}   (the API clients' sidecar: metadata dapr-app-id: aeroalpes, npm run cli)`,
    `  Sidecar API tokens:     ${tokensFile(runDir)}   (every sidecar requires its token: header dapr-api-token)`,
    `  Sidecars (HTTP/gRPC):   ${SERVICES.flatMap((s) => Array.from({ length: replicas[s] }, (_, i) => `${nombreReplica(s, i + 1)} ${ports.services[s][i]!.daprHttp}/${ports.services[s][i]!.daprGrpc}`)).join(', ') || 'none'}`,
    `  Pulsar admin:           ${stack.pulsarAdmin}/admin/v2/schemas/public/default/eventos-reserva/schema`,
    `  MongoDB:                ${stack.mongoUri}`,
    `  Logs:                   ${runDir}/logs/`,
    ...(SERVICES.every((s) => replicas[s] === 0)
      ? [`  No services: run them with the Dapr CLI (dapr run -f ., README "With the Dapr CLI"); Sentry is on 127.0.0.1:${ports.sentry}`]
      : []),
    'A process that dies is restarted (logged here). Press Ctrl-C to stop.',
  ];
  console.log(`\n${lineas.join('\n')}`);
  // Heal like Kubernetes would; a process that keeps dying quickly takes the platform down: a
  // half-running system that pretends to be up helps nobody.
  stack.supervise({
    log: (linea) => console.log(`[supervisor] ${linea}`),
    alRendirse: (_nombre, motivo) => {
      console.error(`\n[supervisor] giving up: ${motivo}`);
      void stop('a process keeps failing', 1);
    },
  });
}

main().catch((err: unknown) => {
  if (err instanceof ProvisioningError || err instanceof StartupError || err instanceof ReplicasInvalidas) console.error(`\n${err.message}`);
  else console.error(err);
  process.exit(1);
});
