import * as grpc from '@grpc/grpc-js';
import { conTokenApp, type Logger, type ServicioGrpc } from '@aeroalpes/comun';

/**
 * The largest message the server reads. It is daprd's limit, not the API's: daprd's deliveries (a
 * bulk of up to BULK_MAX_MENSAJES events, each carrying its reserva) are larger than any one
 * request, and refusing one fails every event in it. Clients' requests get the
 * REST body limit per request (vuelos.Vuelos: api/grpc/vuelos.ts; OnInvoke: the REST API's 413).
 */
const LIMITE_MENSAJE_DAPR_BYTES = 4 * 1024 * 1024;

/**
 * The one gRPC server of aeroalpes, on its Dapr app port: Dapr's AppCallback (subscriptions,
 * invocation) and the vuelos.Vuelos API share it, because a sidecar has one app port and gRPC
 * clients reach vuelos.Vuelos through the sidecar's gRPC proxy. Only daprd calls it: it listens on
 * loopback by default and every method of every service requires the app token (APP_API_TOKEN,
 * which daprd sends, its proxy included), or answers UNAUTHENTICATED.
 */
export async function iniciarServidorGrpc(host: string, puerto: number, log: Logger, servicios: ServicioGrpc[], token?: string): Promise<grpc.Server> {
  const servidor = new grpc.Server({ 'grpc.max_receive_message_length': LIMITE_MENSAJE_DAPR_BYTES });
  for (const s of servicios) servidor.addService(s.definicion, conTokenApp(s.implementacion, log, token));
  await new Promise<number>((resolve, reject) =>
    servidor.bindAsync(`${host.includes(':') ? `[${host}]` : host}:${puerto}`, grpc.ServerCredentials.createInsecure(), (error, p) => (error ? reject(error) : resolve(p))),
  );
  return servidor;
}

export function detenerServidorGrpc(servidor: grpc.Server, limiteMs: number): Promise<void> {
  return new Promise((resolve) => {
    const forzar = setTimeout(() => {
      servidor.forceShutdown();
      resolve();
    }, limiteMs);
    forzar.unref();
    servidor.tryShutdown(() => {
      clearTimeout(forzar);
      resolve();
    });
  });
}
