import * as grpc from '@grpc/grpc-js';
import type { ServicioGrpc } from '@aeroalpes/comun';

/**
 * The one gRPC server of aeroalpes, on its Dapr app port: Dapr's AppCallback (subscriptions,
 * invocation) and the vuelos.Vuelos API share it, because a sidecar has one app port and gRPC
 * clients reach vuelos.Vuelos through the sidecar's gRPC proxy.
 */
export async function iniciarServidorGrpc(puerto: number, servicios: ServicioGrpc[]): Promise<grpc.Server> {
  const servidor = new grpc.Server({ 'grpc.max_receive_message_length': 4 * 1024 * 1024 });
  for (const s of servicios) servidor.addService(s.definicion, s.implementacion);
  await new Promise<number>((resolve, reject) =>
    servidor.bindAsync(`0.0.0.0:${puerto}`, grpc.ServerCredentials.createInsecure(), (error, p) => (error ? reject(error) : resolve(p))),
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
