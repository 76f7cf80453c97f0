import {
  AgregadoDuplicadoExcepcion,
  ConflictoVersionExcepcion,
  ReglaNegocioExcepcion,
  TransicionInvalidaExcepcion,
} from '../dominio/excepciones';

/**
 * Expected failures are values, not exceptions: a handler returns `Resultado<T>` and the API maps
 * each `tipo` to an HTTP status (see api/errores.ts). Unexpected errors stay exceptions (500).
 */
export type ErrorAplicacion =
  | { tipo: 'NoEncontrado'; mensaje: string; recurso: string; id: string }
  | { tipo: 'ReglaNegocio'; mensaje: string; regla: string; campo: string }
  | { tipo: 'TransicionInvalida'; mensaje: string; estadoActual: string; accion: string }
  | { tipo: 'ConflictoVersion'; mensaje: string; versionEsperada: number }
  | { tipo: 'Conflicto'; mensaje: string };

export type Resultado<T, E = ErrorAplicacion> = { ok: true; valor: T } | { ok: false; error: E };

export const exito = <T>(valor: T): Resultado<T, never> => ({ ok: true, valor });
export const fallo = <E = ErrorAplicacion>(error: E): Resultado<never, E> => ({ ok: false, error });

export const noEncontrado = (recurso: string, id: string): Resultado<never> =>
  fallo({ tipo: 'NoEncontrado', recurso, id, mensaje: `${recurso} ${id} no existe` });

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
