/**
 * Failures -> gRPC status. An application error gets the code of its row in the one table
 * (api/tabla-errores.ts: NOT_FOUND, INVALID_ARGUMENT, FAILED_PRECONDITION, ABORTED,
 * ALREADY_EXISTS, UNAVAILABLE); a request that fails validation INVALID_ARGUMENT; anything else
 * INTERNAL (details only in the log). Every status carries a Spanish message; INVALID_ARGUMENT also
 * carries the `errores-bin` trailer with `[{campo, regla, mensaje}]` (JSON, UTF-8) and names the
 * field and the rule in its message.
 *
 * Also the other direction Dapr's gRPC app channel needs: a REST error response forwarded from
 * OnInvoke as the gRPC code daprd turns back into the same HTTP status (`codigoGrpcDeRespuestaRest`).
 */
import * as grpc from '@grpc/grpc-js';
import { ErrorAplicacion, errorDeExcepcion } from '../../seedwork/aplicacion/resultado';
import { transporteDe, transporteDeCodigo } from '../tabla-errores';
import { ErrorCampo } from '../validacion';
import { CLAVE_ERRORES } from './contrato';

export interface EstadoGrpc {
  code: grpc.status;
  details: string;
  metadata: grpc.Metadata;
}

const MAXIMO_EN_MENSAJE = 5;

function estado(code: grpc.status, details: string, idCorrelacion?: string): EstadoGrpc {
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

/** A request over the API's size limit (the REST body limit): RESOURCE_EXHAUSTED, as gRPC's own limit answers. */
export function mensajeDemasiadoGrande(bytes: number, limiteBytes: number, idCorrelacion?: string): EstadoGrpc {
  return estado(grpc.status.RESOURCE_EXHAUSTED, `el mensaje (${bytes} bytes) supera el límite de ${limiteBytes} bytes`, idCorrelacion);
}

export function estadoDeErrorAplicacion(error: ErrorAplicacion, idCorrelacion?: string): EstadoGrpc {
  if (error.tipo === 'ReglaNegocio') {
    return argumentoInvalido([{ campo: error.campo, regla: error.regla, mensaje: error.mensaje }], idCorrelacion);
  }
  return estado(grpc.status[transporteDe(error).grpc], error.mensaje, idCorrelacion);
}

/** An exception: its application error's status when it stands for one (a dependency down: UNAVAILABLE), else INTERNAL. */
export function estadoDeExcepcion(error: unknown, idCorrelacion?: string): EstadoGrpc {
  const esperado = errorDeExcepcion(error);
  if (esperado) return estadoDeErrorAplicacion(esperado, idCorrelacion);
  return estado(grpc.status.INTERNAL, 'error interno del servidor', idCorrelacion);
}

/**
 * daprd's HTTPStatusFromCode (dapr 1.18, pkg/messaging/v1/util.go): the HTTP status an HTTP caller
 * of service invocation gets for the code OnInvoke answers. FAILED_PRECONDITION is 400 there.
 */
const HTTP_DE_CODIGO_EN_DAPRD: Readonly<Record<grpc.status, number>> = {
  [grpc.status.OK]: 200,
  [grpc.status.CANCELLED]: 408,
  [grpc.status.UNKNOWN]: 500,
  [grpc.status.INVALID_ARGUMENT]: 400,
  [grpc.status.DEADLINE_EXCEEDED]: 504,
  [grpc.status.NOT_FOUND]: 404,
  [grpc.status.ALREADY_EXISTS]: 409,
  [grpc.status.PERMISSION_DENIED]: 403,
  [grpc.status.RESOURCE_EXHAUSTED]: 429,
  [grpc.status.FAILED_PRECONDITION]: 400,
  [grpc.status.ABORTED]: 409,
  [grpc.status.OUT_OF_RANGE]: 400,
  [grpc.status.UNIMPLEMENTED]: 501,
  [grpc.status.INTERNAL]: 500,
  [grpc.status.UNAVAILABLE]: 503,
  [grpc.status.DATA_LOSS]: 500,
  [grpc.status.UNAUTHENTICATED]: 401,
};

/** HTTP status -> the gRPC code daprd turns back into it (where one does), for answers outside the table. */
const CODIGO_DE_ESTADO_HTTP: Readonly<Record<number, grpc.status>> = {
  400: grpc.status.INVALID_ARGUMENT,
  415: grpc.status.INVALID_ARGUMENT,
  422: grpc.status.INVALID_ARGUMENT,
  401: grpc.status.UNAUTHENTICATED,
  403: grpc.status.PERMISSION_DENIED,
  404: grpc.status.NOT_FOUND,
  405: grpc.status.UNIMPLEMENTED,
  409: grpc.status.ABORTED,
  413: grpc.status.RESOURCE_EXHAUSTED,
  429: grpc.status.RESOURCE_EXHAUSTED,
  503: grpc.status.UNAVAILABLE,
  504: grpc.status.DEADLINE_EXCEEDED,
};

function codigoDeEstadoHttp(status: number): grpc.status {
  return CODIGO_DE_ESTADO_HTTP[status] ?? (status >= 500 ? grpc.status.INTERNAL : grpc.status.UNKNOWN);
}

function codigoErrorDe(cuerpo: Uint8Array | string): unknown {
  try {
    const json: unknown = JSON.parse(typeof cuerpo === 'string' ? cuerpo : Buffer.from(cuerpo).toString('utf8'));
    return typeof json === 'object' && json !== null ? (json as { error?: unknown }).error : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A REST error response (status and JSON body) forwarded from Dapr's OnInvoke -> the gRPC code to
 * answer with. An application error's body (`error` code in the table, with its status) gets the
 * table's code when daprd turns that code back into the same status (ALREADY_EXISTS, ABORTED,
 * NOT_FOUND, INVALID_ARGUMENT, UNAVAILABLE); otherwise (TransicionInvalida: FAILED_PRECONDITION would
 * reach HTTP callers as 400, not 409) and for the API's other errors, the code of the status.
 * Either way an HTTP caller through Dapr sees the status the REST API answered.
 */
export function codigoGrpcDeRespuestaRest(status: number, cuerpo: Uint8Array | string): grpc.status {
  const fila = transporteDeCodigo(codigoErrorDe(cuerpo));
  const codigo = fila && fila.http === status ? grpc.status[fila.grpc] : undefined;
  return codigo !== undefined && HTTP_DE_CODIGO_EN_DAPRD[codigo] === status ? codigo : codigoDeEstadoHttp(status);
}
