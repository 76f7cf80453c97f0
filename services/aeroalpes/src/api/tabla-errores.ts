import type { Desenlace } from '@aeroalpes/comun';
import type { status as CodigoGrpc } from '@grpc/grpc-js';
import type { ErrorAplicacion, TipoError } from '../seedwork/aplicacion/resultado';

/** How one application error type is answered on every transport. */
export interface TransporteError {
  /** REST: the HTTP status. */
  http: number;
  /** REST: the JSON body's `error` code (api/esquemas.ts, esquemaError). */
  codigo: string;
  /** gRPC API `vuelos.Vuelos`: the status code. */
  grpc: keyof typeof CodigoGrpc;
  /** A broker handler whose command failed so, unless it handles the error itself. */
  dapr: Desenlace;
}

/**
 * THE table from application error to transport: REST (api/errores.ts), gRPC (api/grpc/estado-grpc.ts),
 * Dapr's app channel (OnInvoke forwarding, api/grpc/estado-grpc.ts) and the broker handlers
 * (`resultadoDapr`) all read it. A new error type does not compile until it has a row.
 *
 *   NoEncontrado            404 no_encontrado        NOT_FOUND            DROP    (retrying finds nothing either)
 *   ReglaNegocio            400 regla_negocio        INVALID_ARGUMENT     DROP    (it can never succeed)
 *   TransicionInvalida      409 transicion_invalida  FAILED_PRECONDITION  DROP    (not from this state, ever)
 *   ConflictoVersion        409 conflicto_version    ABORTED              RETRY   (re-read and try again)
 *   Conflicto (duplicate)   409 conflicto            ALREADY_EXISTS       SUCCESS (a redelivery: it is there)
 *   DependenciaNoDisponible 503 no_disponible        UNAVAILABLE          RETRY   (may work later)
 */
export const TABLA_ERRORES = {
  NoEncontrado: { http: 404, codigo: 'no_encontrado', grpc: 'NOT_FOUND', dapr: 'DROP' },
  ReglaNegocio: { http: 400, codigo: 'regla_negocio', grpc: 'INVALID_ARGUMENT', dapr: 'DROP' },
  TransicionInvalida: { http: 409, codigo: 'transicion_invalida', grpc: 'FAILED_PRECONDITION', dapr: 'DROP' },
  ConflictoVersion: { http: 409, codigo: 'conflicto_version', grpc: 'ABORTED', dapr: 'RETRY' },
  Conflicto: { http: 409, codigo: 'conflicto', grpc: 'ALREADY_EXISTS', dapr: 'SUCCESS' },
  DependenciaNoDisponible: { http: 503, codigo: 'no_disponible', grpc: 'UNAVAILABLE', dapr: 'RETRY' },
} as const satisfies { readonly [T in TipoError]: TransporteError };

export function transporteDe(error: ErrorAplicacion): TransporteError {
  return TABLA_ERRORES[error.tipo];
}

/** What a broker handler answers Dapr for a command that failed with `error`. */
export function resultadoDapr(error: ErrorAplicacion): Desenlace {
  return TABLA_ERRORES[error.tipo].dapr;
}

/** The row of a REST error body's `error` code, if it is an application error's. */
export function transporteDeCodigo(codigo: unknown): TransporteError | undefined {
  return Object.values(TABLA_ERRORES).find((t) => t.codigo === codigo);
}
