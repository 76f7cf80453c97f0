import * as grpc from '@grpc/grpc-js';
import { componerEnMemoria } from '../../composicion';
import { Logger } from '@aeroalpes/comun';
import { crearServicioVuelos, DependenciasServicioVuelos } from './vuelos';

type NucleoMemoria = ReturnType<typeof componerEnMemoria>;

export interface ServidorGrpcPruebas {
  /** host:port on loopback. */
  direccion: string;
  nucleo: NucleoMemoria;
  /** Metadata of every call received, in order. */
  metadatas: grpc.Metadata[];
  cerrar(): Promise<void>;
}

/**
 * vuelos.Vuelos over in-memory adapters on an ephemeral loopback port (gRPC tests with a real
 * client and the real wire).
 */
export async function iniciarServidorGrpcPruebas(opciones: { logger?: Logger; reloj?: () => Date; deps?: Partial<DependenciasServicioVuelos> } = {}): Promise<ServidorGrpcPruebas> {
  const nucleo = componerEnMemoria({
    ...(opciones.logger ? { logger: opciones.logger } : {}),
    ...(opciones.reloj ? { reloj: opciones.reloj } : {}),
  });
  const { servicio, implementacion } = crearServicioVuelos({
    busComandos: nucleo.busComandos,
    busQueries: nucleo.busQueries,
    servicioReserva: nucleo.servicioReserva,
    ...(opciones.logger ? { logger: opciones.logger } : {}),
    ...opciones.deps,
  });
  const metadatas: grpc.Metadata[] = [];
  const registrando: grpc.UntypedServiceImplementation = {};
  for (const [nombre, manejador] of Object.entries(implementacion)) {
    registrando[nombre] = ((call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      metadatas.push(call.metadata.clone());
      (manejador as grpc.handleUnaryCall<unknown, unknown>)(call, callback);
    }) as grpc.UntypedHandleCall;
  }
  const servidor = new grpc.Server();
  servidor.addService(servicio, registrando);
  const puerto = await new Promise<number>((resolve, reject) =>
    servidor.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, p) => (error ? reject(error) : resolve(p))),
  );
  return {
    direccion: `127.0.0.1:${puerto}`,
    nucleo,
    metadatas,
    cerrar: () =>
      new Promise<void>((resolve) => {
        servidor.tryShutdown(() => resolve());
        setTimeout(() => {
          servidor.forceShutdown();
          resolve();
        }, 2000).unref();
      }),
  };
}
