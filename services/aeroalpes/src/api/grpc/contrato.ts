/**
 * The gRPC contract `vuelos.Vuelos` (proto/vuelos.proto, docs/contracts.md section 2), loaded at run
 * time with @grpc/proto-loader, and the TypeScript shapes of its messages.
 *
 * The message types are written by hand rather than generated with proto-loader-gen-types: the
 * contract is small and frozen (no field may change), a generator would add a build step that
 * `tsc -b`, jest (which reads src/) and the Docker build would all have to run first, and
 * contrato.test.ts pins the loaded descriptor to the contract's field table, so the types and the
 * .proto cannot drift apart unnoticed.
 *
 * Shapes are those of proto-loader with OPCIONES_CARGA: snake_case names (keepCase), int64 as
 * decimal strings (longs: String), unset message fields decoded as null (defaults), and `optional`
 * fields absent (undefined) when not on the wire; a present one also brings its synthetic oneof
 * marker (`_id: 'id'`, oneofs). When encoding, any field may be left out.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** google.protobuf.Timestamp. `seconds` is an int64: a decimal string when decoded. */
export interface Timestamp {
  seconds: string | number;
  nanos: number;
}

export interface Locacion {
  codigo: string;
  nombre: string;
}

/** Field numbers: fecha_salida 1, fecha_llegada 2, destino 3, origen 4. */
export interface Leg {
  fecha_salida?: Timestamp | null;
  fecha_llegada?: Timestamp | null;
  destino?: Locacion | null;
  origen?: Locacion | null;
}

interface Segmento {
  legs: Leg[];
}

interface Odo {
  segmentos: Segmento[];
}

export interface Itinerario {
  /** optional: absent when not on the wire. */
  id?: string;
  _id?: 'id';
  odos: Odo[];
}

export interface Reserva {
  id?: string;
  fecha_creacion?: Timestamp | null;
  fecha_actualizacion?: Timestamp | null;
  itinerarios: Itinerario[];
  _id?: 'id';
  _fecha_creacion?: 'fecha_creacion';
  _fecha_actualizacion?: 'fecha_actualizacion';
}

export interface QueryReserva {
  id: string;
}

export interface RespuestaReserva {
  /** "OK" on success (errors travel as a gRPC status, not in this field). */
  mensaje: string;
  reserva?: Reserva | null;
  _reserva?: 'reserva';
}

const NOMBRE_SERVICIO = 'vuelos.Vuelos';
const ARCHIVO_PROTO = 'vuelos.proto';

const OPCIONES_CARGA: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

/**
 * Finds proto/vuelos.proto walking up from this file: the same relative place from src/ (jest),
 * dist/ (node) and the image (/app/services/aeroalpes/dist/... -> /app/proto, see the Dockerfile).
 * `VUELOS_PROTO_DIR` overrides it (a folder holding vuelos.proto).
 */
export function carpetaProto(desde: string = __dirname, env: NodeJS.ProcessEnv = process.env): string {
  const forzada = env.VUELOS_PROTO_DIR?.trim();
  if (forzada) {
    if (!fs.existsSync(path.join(forzada, ARCHIVO_PROTO))) throw new Error(`VUELOS_PROTO_DIR=${forzada} no contiene ${ARCHIVO_PROTO}`);
    return path.resolve(forzada);
  }
  const probadas: string[] = [];
  let carpeta = path.resolve(desde);
  for (;;) {
    const candidata = path.join(carpeta, 'proto');
    probadas.push(candidata);
    if (fs.existsSync(path.join(candidata, ARCHIVO_PROTO))) return candidata;
    const padre = path.dirname(carpeta);
    if (padre === carpeta) break;
    carpeta = padre;
  }
  throw new Error(`no se encontró proto/${ARCHIVO_PROTO} (buscado en: ${probadas.join(', ')}); defina VUELOS_PROTO_DIR`);
}

let cache: protoLoader.PackageDefinition | undefined;

/**
 * The package definition of vuelos.proto (loaded once). google/protobuf/timestamp.proto comes with
 * proto-loader (protobufjs bundles the well-known types).
 */
export function definicionVuelos(): protoLoader.PackageDefinition {
  cache ??= protoLoader.loadSync(ARCHIVO_PROTO, { ...OPCIONES_CARGA, includeDirs: [carpetaProto()] });
  return cache;
}

/** The service definition for `server.addService(...)` and for clients. */
export function definicionServicio(): grpc.ServiceDefinition {
  const servicio = definicionVuelos()[NOMBRE_SERVICIO];
  if (!servicio || !('CrearReserva' in servicio)) throw new Error(`${ARCHIVO_PROTO} no define el servicio ${NOMBRE_SERVICIO}`);
  return servicio as unknown as grpc.ServiceDefinition;
}

/** A typed client of vuelos.Vuelos (promises; metadata and deadline per call). */
export interface ClienteVuelos {
  crearReserva(reserva: Reserva, opciones?: OpcionesLlamada): Promise<RespuestaReserva>;
  consultarReserva(query: QueryReserva, opciones?: OpcionesLlamada): Promise<RespuestaReserva>;
  /** The underlying grpc-js client (e.g. to wait for readiness). */
  readonly grpc: grpc.Client;
  cerrar(): void;
}

interface OpcionesLlamada {
  metadata?: Record<string, string>;
  /** Milliseconds from now (default 10 s). */
  plazoMs?: number;
}

/** Error of a call: the gRPC status (code, details, trailing metadata). */
export type ErrorLlamada = grpc.ServiceError;

/**
 * Client of `vuelos.Vuelos` at `direccion` (host:port, plaintext). Through a Dapr sidecar, give
 * `metadataFija: { 'dapr-app-id': 'aeroalpes' }`: daprd then proxies the call to that app.
 */
export function crearClienteVuelos(direccion: string, metadataFija: Record<string, string> = {}): ClienteVuelos {
  const servicio = definicionServicio();
  const cliente = new grpc.Client(direccion, grpc.credentials.createInsecure());
  const llamar =
    <P, R>(metodo: 'CrearReserva' | 'ConsultarReserva') =>
    (peticion: P, opciones: OpcionesLlamada = {}): Promise<R> => {
      const definicion = servicio[metodo] as grpc.MethodDefinition<P, R>;
      const metadata = new grpc.Metadata();
      for (const [clave, valor] of Object.entries({ ...metadataFija, ...opciones.metadata })) metadata.set(clave, valor);
      const deadline = new Date(Date.now() + (opciones.plazoMs ?? 10_000));
      return new Promise<R>((resolve, reject) => {
        cliente.makeUnaryRequest(definicion.path, definicion.requestSerialize, definicion.responseDeserialize, peticion, metadata, { deadline }, (error, respuesta) =>
          error ? reject(error) : resolve(respuesta as R),
        );
      });
    };
  return {
    crearReserva: llamar<Reserva, RespuestaReserva>('CrearReserva'),
    consultarReserva: llamar<QueryReserva, RespuestaReserva>('ConsultarReserva'),
    grpc: cliente,
    cerrar: () => cliente.close(),
  };
}

/** The `errores-bin` trailer of an INVALID_ARGUMENT status: `[{campo, regla, mensaje}]`. */
export const CLAVE_ERRORES = 'errores-bin';

export interface ErrorCampoGrpc {
  campo: string;
  regla: string;
  mensaje: string;
}

/** Reads the `errores-bin` trailer of a failed call ([] when absent or unreadable). */
export function erroresDeLlamada(error: { metadata?: grpc.Metadata }): ErrorCampoGrpc[] {
  const valor = error.metadata?.get(CLAVE_ERRORES)[0];
  if (valor === undefined) return [];
  try {
    const lista: unknown = JSON.parse(Buffer.isBuffer(valor) ? valor.toString('utf8') : valor);
    return Array.isArray(lista) ? (lista as ErrorCampoGrpc[]) : [];
  } catch {
    return [];
  }
}

/** Name of a gRPC status code (`3` -> `INVALID_ARGUMENT`). */
export function nombreCodigo(codigo: number): string {
  return grpc.status[codigo] ?? `CODIGO_${codigo}`;
}
