import type { ErrorRequestHandler, Response } from 'express';
import { ErrorAplicacion, errorDeExcepcion } from '../seedwork/aplicacion/resultado';
import { transporteDe } from './tabla-errores';
import { Logger } from '@aeroalpes/comun';
import { ErrorCampo } from './validacion';

/** Every error the API answers has this JSON shape (schema: esquemas.ts, esquemaError). */
export interface CuerpoError {
  error: string;
  mensaje: string;
  errores?: ErrorCampo[];
  estado_actual?: string;
  accion?: string;
  limite_bytes?: number;
  id_correlacion?: string;
}

export function responderError(res: Response, estado: number, cuerpo: CuerpoError): void {
  const idCorrelacion = res.locals.idCorrelacion as string | undefined;
  res.status(estado).json(idCorrelacion ? { ...cuerpo, id_correlacion: idCorrelacion } : cuerpo);
}

export function errorValidacion(res: Response, errores: ErrorCampo[], mensaje?: string): void {
  responderError(res, 400, {
    error: 'validacion',
    mensaje: mensaje ?? `la solicitud no es válida: ${errores.length} error(es)`,
    errores,
  });
}

/** The REST body's fields beyond {error, mensaje}, for the types that carry more. */
function detalleRest(error: ErrorAplicacion): Omit<CuerpoError, 'error' | 'mensaje'> {
  switch (error.tipo) {
    case 'ReglaNegocio':
      return { errores: [{ campo: error.campo, regla: error.regla, mensaje: error.mensaje }] };
    case 'TransicionInvalida':
      return { estado_actual: error.estadoActual, accion: error.accion };
    default:
      return {};
  }
}

/** Retry-After of a 503: a dependency down is usually back within seconds. */
const SEGUNDOS_REINTENTO = '5';

/**
 * An application failure as HTTP: status and `error` code from the one table (tabla-errores.ts);
 * ReglaNegocio names the rule and the field, TransicionInvalida the state and the action; a
 * dependency down also says when to retry.
 */
export function responderErrorAplicacion(res: Response, error: ErrorAplicacion): void {
  const { http, codigo } = transporteDe(error);
  if (error.tipo === 'DependenciaNoDisponible') res.setHeader('Retry-After', SEGUNDOS_REINTENTO);
  responderError(res, http, { error: codigo, mensaje: error.mensaje, ...detalleRest(error) });
}

/**
 * Last error handler: body-parser errors get their 4xx; anything else is a 500 with a generic JSON
 * body (the stack goes to the log, never to the client).
 */
export function manejadorErrores(logger: Logger, limiteBytes: number): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const tipo = typeof err === 'object' && err !== null && 'type' in err ? String((err as { type: unknown }).type) : '';
    switch (tipo) {
      case 'entity.too.large':
        return responderError(res, 413, {
          error: 'cuerpo_demasiado_grande',
          mensaje: `el cuerpo supera el límite de ${limiteBytes} bytes`,
          limite_bytes: limiteBytes,
        });
      case 'entity.parse.failed':
        return responderError(res, 400, { error: 'json_invalido', mensaje: 'el cuerpo no es un objeto JSON válido' });
      case 'encoding.unsupported':
        return responderError(res, 415, {
          error: 'tipo_contenido_no_soportado',
          mensaje: 'codificación de contenido no soportada: envíe JSON sin comprimir',
        });
      case 'charset.unsupported':
        return responderError(res, 415, { error: 'tipo_contenido_no_soportado', mensaje: 'juego de caracteres no soportado: use utf-8' });
      case 'request.aborted':
      case 'request.size.invalid':
        return responderError(res, 400, { error: 'json_invalido', mensaje: 'el cuerpo llegó incompleto' });
    }
    // Other client errors raised by express itself (e.g. a malformed %-escape in the path: 400).
    const estado = estadoHttp(err);
    if (estado === 400) return responderError(res, 400, { error: 'validacion', mensaje: 'solicitud mal formada' });
    const esperado = errorDeExcepcion(err);
    if (esperado) {
      if (esperado.tipo === 'DependenciaNoDisponible') {
        logger.error('dependencia no disponible', { correlation_id: res.locals.idCorrelacion, path: req.path, err });
      }
      return responderErrorAplicacion(res, esperado);
    }
    logger.error('error inesperado', {
      correlation_id: res.locals.idCorrelacion,
      method: req.method,
      path: req.path,
      err,
    });
    responderError(res, 500, { error: 'interno', mensaje: 'error interno del servidor' });
  };
}

function estadoHttp(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { status, statusCode } = err as { status?: unknown; statusCode?: unknown };
  const valor = typeof status === 'number' ? status : statusCode;
  return typeof valor === 'number' ? valor : undefined;
}
