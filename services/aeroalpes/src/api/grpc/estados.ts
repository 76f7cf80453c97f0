/**
 * Failures -> gRPC status (the gRPC twin of api/errores.ts). Every status carries a Spanish
 * message; INVALID_ARGUMENT also carries the `errores-bin` trailer with `[{campo, regla, mensaje}]`
 * (JSON, UTF-8) and names the field and the rule in its message.
 *
 *   validation / ReglaNegocio   INVALID_ARGUMENT   (REST 400)
 *   NoEncontrado                NOT_FOUND          (REST 404)
 *   TransicionInvalida          FAILED_PRECONDITION (REST 409)
 *   ConflictoVersion            ABORTED            (REST 409: re-read and retry)
 *   Conflicto (duplicate id)    ALREADY_EXISTS     (REST 409)
 *   a dependency down (MongoDB) UNAVAILABLE        (REST 500)
 *   anything else               INTERNAL           (REST 500; details only in the log)
 */
import * as grpc from '@grpc/grpc-js';
import { ErrorAplicacion } from '../../seedwork/aplicacion/resultado';
import { ErrorCampo } from '../validacion';
import { CLAVE_ERRORES } from './contrato';

export interface EstadoGrpc {
  code: grpc.status;
  details: string;
  metadata: grpc.Metadata;
}

const MAXIMO_EN_MENSAJE = 5;

export function estado(code: grpc.status, details: string, idCorrelacion?: string): EstadoGrpc {
  const metadata = new grpc.Metadata();
  if (idCorrelacion) metadata.set('x-correlation-id', idCorrelacion);
  return { code, details, metadata };
}

/** INVALID_ARGUMENT naming each field and rule (the first few in the message, all in the trailer). */
export function argumentoInvalido(errores: readonly ErrorCampo[], idCorrelacion?: string): EstadoGrpc {
  const partes = errores.slice(0, MAXIMO_EN_MENSAJE).map((e) => `${e.campo}: ${e.mensaje} (regla ${e.regla})`);
  const resto = errores.length > MAXIMO_EN_MENSAJE ? `; y ${errores.length - MAXIMO_EN_MENSAJE} error(es) más` : '';
  const s = estado(grpc.status.INVALID_ARGUMENT, `la solicitud no es válida: ${partes.join('; ')}${resto}`, idCorrelacion);
  s.metadata.set(CLAVE_ERRORES, Buffer.from(JSON.stringify(errores), 'utf8'));
  return s;
}

export function estadoDeErrorAplicacion(error: ErrorAplicacion, idCorrelacion?: string): EstadoGrpc {
  switch (error.tipo) {
    case 'ReglaNegocio':
      return argumentoInvalido([{ campo: error.campo, regla: error.regla, mensaje: error.mensaje }], idCorrelacion);
    case 'NoEncontrado':
      return estado(grpc.status.NOT_FOUND, error.mensaje, idCorrelacion);
    case 'TransicionInvalida':
      return estado(grpc.status.FAILED_PRECONDITION, error.mensaje, idCorrelacion);
    case 'ConflictoVersion':
      return estado(grpc.status.ABORTED, error.mensaje, idCorrelacion);
    case 'Conflicto':
      return estado(grpc.status.ALREADY_EXISTS, error.mensaje, idCorrelacion);
  }
}

/** Driver errors that mean "MongoDB cannot be reached now" (by name: the API does not import the driver). */
const ERRORES_NO_DISPONIBLE = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoServerClosedError',
]);
const CODIGOS_RED = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** True when the error (or one of its causes) says a dependency is unreachable. */
export function esDependenciaCaida(error: unknown): boolean {
  let actual: unknown = error;
  for (let i = 0; i < 5 && typeof actual === 'object' && actual !== null; i++) {
    const { name, code, cause } = actual as { name?: unknown; code?: unknown; cause?: unknown };
    if (typeof name === 'string' && ERRORES_NO_DISPONIBLE.has(name)) return true;
    if (typeof code === 'string' && CODIGOS_RED.has(code)) return true;
    actual = cause;
  }
  return false;
}

/** An unexpected exception: UNAVAILABLE when a dependency is down (the client may retry), else INTERNAL. */
export function estadoDeExcepcion(error: unknown, idCorrelacion?: string): EstadoGrpc {
  if (esDependenciaCaida(error)) {
    return estado(grpc.status.UNAVAILABLE, 'servicio no disponible: la base de datos no responde; reintente más tarde', idCorrelacion);
  }
  return estado(grpc.status.INTERNAL, 'error interno del servidor', idCorrelacion);
}
