import { AgregadoDuplicadoExcepcion, ConflictoVersionExcepcion, ReglaNegocioExcepcion, TransicionInvalidaExcepcion } from '../dominio/excepciones';

/**
 * Expected failures are values, not exceptions: a handler returns `Resultado<T>` and each
 * transport answers each `tipo` as one table says (api/tabla-errores.ts: HTTP, gRPC, Dapr).
 * Unexpected errors stay exceptions (500 / INTERNAL / RETRY).
 */
export type ErrorAplicacion =
  | { tipo: 'NoEncontrado'; mensaje: string; recurso: string; id: string }
  | { tipo: 'ReglaNegocio'; mensaje: string; regla: string; campo: string }
  | { tipo: 'TransicionInvalida'; mensaje: string; estadoActual: string; accion: string }
  | { tipo: 'ConflictoVersion'; mensaje: string; versionEsperada: number }
  | { tipo: 'Conflicto'; mensaje: string }
  | { tipo: 'DependenciaNoDisponible'; mensaje: string };

export type TipoError = ErrorAplicacion['tipo'];

/**
 * A dependency (MongoDB, the broker) cannot be reached now: nothing was done and the same request
 * may succeed later (REST 503 with Retry-After, gRPC UNAVAILABLE, Dapr RETRY). Raised by the
 * infrastructure adapters, which alone know what their driver's errors mean; the message is for
 * the client (no host names, no driver details: those stay in `cause`, for the log).
 */
export class DependenciaNoDisponible extends Error {
  override readonly name = 'DependenciaNoDisponible';

  comoError(): ErrorAplicacion {
    return { tipo: 'DependenciaNoDisponible', mensaje: this.message };
  }
}

export type Resultado<T, E = ErrorAplicacion> = { ok: true; valor: T } | { ok: false; error: E };

export const exito = <T>(valor: T): Resultado<T, never> => ({ ok: true, valor });
export const fallo = <E = ErrorAplicacion>(error: E): Resultado<never, E> => ({ ok: false, error });

export const noEncontrado = (recurso: string, id: string): Resultado<never> => fallo({ tipo: 'NoEncontrado', recurso, id, mensaje: `${recurso} ${id} no existe` });

/**
 * Converts the domain's expected exceptions into a failed Result; returns undefined for anything
 * else (which the caller rethrows: an unexpected error is never silently turned into a value).
 */
export function errorEsperado(error: unknown): ErrorAplicacion | undefined {
  if (error instanceof ReglaNegocioExcepcion) {
    return { tipo: 'ReglaNegocio', mensaje: error.message, regla: error.regla, campo: error.campo };
  }
  if (error instanceof TransicionInvalidaExcepcion) {
    return { tipo: 'TransicionInvalida', mensaje: error.message, estadoActual: error.estadoActual, accion: error.accion };
  }
  if (error instanceof ConflictoVersionExcepcion) {
    return { tipo: 'ConflictoVersion', mensaje: error.message, versionEsperada: error.versionEsperada };
  }
  if (error instanceof AgregadoDuplicadoExcepcion) {
    return { tipo: 'Conflicto', mensaje: error.message };
  }
  return undefined;
}

/**
 * The application error an exception that reached a transport stands for: the domain's expected
 * exceptions and DependenciaNoDisponible; undefined for anything else (an unexpected error: 500).
 */
export function errorDeExcepcion(error: unknown): ErrorAplicacion | undefined {
  return error instanceof DependenciaNoDisponible ? error.comoError() : errorEsperado(error);
}
