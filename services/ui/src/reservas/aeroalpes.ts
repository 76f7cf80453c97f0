/**
 * AeroAlpes' booking API as the BFF sees it, reached only through Dapr service invocation
 * (`/v1.0/invoke/<app>/method/...` on the BFF's own sidecar). This file is the one place that
 * knows the upstream paths and how their answers travel back through Dapr.
 */
import { cabecerasDapr } from '@aeroalpes/comun';
import type { AccionReserva } from '@aeroalpes/contratos';

/** Status and JSON body as AeroAlpes answered them (errors: `{error, mensaje, errores?}`). */
export interface RespuestaAeroAlpes {
  status: number;
  cuerpo: unknown;
}

export interface Contexto {
  idCorrelacion: string;
  traceparent?: string;
}

export interface ConsultaReservas {
  pagina?: string;
  tamano?: string;
  estado?: string;
}

export interface AeroAlpes {
  /** POST /vuelos/reserva-comando: the CrearReserva command (202 with the id). */
  crearReserva(solicitud: unknown, ctx: Contexto): Promise<RespuestaAeroAlpes>;
  /** POST /vuelos/reserva/{id}/{accion}: 200 with the reserva, 404, 409 on a disallowed transition. */
  ejecutarAccion(id: string, accion: AccionReserva, ctx: Contexto): Promise<RespuestaAeroAlpes>;
  /** GET /vuelos/reservas?pagina&tamano&estado: a page of the read model. */
  listarReservas(consulta: ConsultaReservas, ctx: Contexto): Promise<RespuestaAeroAlpes>;
}

export interface OpcionesInvocacion {
  daprHost: string;
  daprHttpPort: number;
  /** The sidecar's API token (DAPR_API_TOKEN), sent with every invocation when set. */
  tokenDapr?: string;
  appId: string;
  timeoutMs: number;
}

/** gRPC status code -> HTTP, for an AppCallback.OnInvoke error (AeroAlpes' app channel is gRPC). */
const HTTP_DE_GRPC: Record<number, number> = {
  1: 499, // CANCELLED
  2: 500, // UNKNOWN
  3: 400, // INVALID_ARGUMENT
  4: 504, // DEADLINE_EXCEEDED
  5: 404, // NOT_FOUND
  6: 409, // ALREADY_EXISTS
  7: 403, // PERMISSION_DENIED
  8: 429, // RESOURCE_EXHAUSTED
  9: 409, // FAILED_PRECONDITION: a disallowed transition, the REST API's 409
  10: 409, // ABORTED
  11: 400, // OUT_OF_RANGE
  12: 501, // UNIMPLEMENTED
  13: 500, // INTERNAL
  14: 503, // UNAVAILABLE
  15: 500, // DATA_LOSS
  16: 401, // UNAUTHENTICATED
};

const NOMBRE_GRPC: Record<number, string> = {
  3: 'validacion',
  5: 'no_encontrado',
  6: 'conflicto',
  9: 'transicion_invalida',
  10: 'conflicto',
  14: 'no_disponible',
};

type Json = Record<string, unknown>;
const esObjeto = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const esErrorAeroAlpes = (v: unknown): v is Json => esObjeto(v) && typeof v.error === 'string' && typeof v.mensaje === 'string';

function noDisponible(status: number, detalle: string): RespuestaAeroAlpes {
  return { status, cuerpo: { error: 'aeroalpes_no_disponible', mensaje: `AeroAlpes no respondió a través de Dapr: ${detalle}` } };
}

/**
 * Turns what the sidecar answered into AeroAlpes' own status and body:
 * - an HTTP app's answer (2xx, or an error body `{error, mensaje, ...}`) passes through verbatim;
 * - a gRPC app's error reaches us as Dapr's JSON of google.rpc.Status `{code, message, details}`
 *   (Dapr maps the status code itself, FAILED_PRECONDITION to 400): the code is mapped again here
 *   (FAILED_PRECONDITION -> 409), the message is AeroAlpes' error body when it is JSON, and
 *   google.rpc.BadRequest field violations become `errores`;
 * - Dapr's own failure (`{errorCode, message}`: app not found, unreachable) is a 502/503.
 */
export function normalizarRespuesta(status: number, cuerpo: unknown): RespuestaAeroAlpes {
  if (status >= 200 && status < 300) return { status, cuerpo };
  if (esErrorAeroAlpes(cuerpo)) return { status, cuerpo };
  if (esObjeto(cuerpo) && typeof cuerpo.code === 'number' && typeof cuerpo.message === 'string' && !('errorCode' in cuerpo)) {
    const codigo = cuerpo.code;
    const statusHttp = HTTP_DE_GRPC[codigo] ?? status;
    let interno: unknown;
    try {
      interno = JSON.parse(cuerpo.message);
    } catch {
      interno = undefined;
    }
    if (esErrorAeroAlpes(interno)) return { status: statusHttp, cuerpo: interno };
    const errores = violaciones(cuerpo.details);
    return {
      status: statusHttp,
      cuerpo: { error: NOMBRE_GRPC[codigo] ?? 'error_aeroalpes', mensaje: cuerpo.message, ...(errores.length > 0 ? { errores } : {}) },
    };
  }
  if (esObjeto(cuerpo) && typeof cuerpo.errorCode === 'string') {
    const detalle = `${cuerpo.errorCode}${typeof cuerpo.message === 'string' ? `: ${cuerpo.message}` : ''}`;
    return noDisponible(status === 500 ? 502 : status, detalle);
  }
  return { status, cuerpo: { error: 'error_aeroalpes', mensaje: `AeroAlpes respondió ${status}`, ...(cuerpo !== undefined ? { detalle: cuerpo } : {}) } };
}

/** google.rpc.BadRequest `fieldViolations` (protojson) or `field_violations` -> `{campo, regla, mensaje}`. */
function violaciones(detalles: unknown): { campo: string; regla: string; mensaje: string }[] {
  if (!Array.isArray(detalles)) return [];
  const salida: { campo: string; regla: string; mensaje: string }[] = [];
  for (const d of detalles) {
    if (!esObjeto(d)) continue;
    const lista = d.fieldViolations ?? d.field_violations;
    if (!Array.isArray(lista)) continue;
    for (const v of lista) {
      if (!esObjeto(v) || typeof v.field !== 'string') continue;
      const mensaje = typeof v.description === 'string' ? v.description : '';
      salida.push({ campo: v.field, regla: typeof v.reason === 'string' ? v.reason : 'invalido', mensaje });
    }
  }
  return salida;
}

/** Raw HTTP to the sidecar (the SDK's invoker hides the upstream status and error body). */
export class AeroAlpesPorDapr implements AeroAlpes {
  constructor(private readonly opciones: OpcionesInvocacion) {}

  crearReserva(solicitud: unknown, ctx: Contexto): Promise<RespuestaAeroAlpes> {
    return this.invocar('POST', 'vuelos/reserva-comando', ctx, solicitud);
  }

  ejecutarAccion(id: string, accion: AccionReserva, ctx: Contexto): Promise<RespuestaAeroAlpes> {
    return this.invocar('POST', `vuelos/reserva/${encodeURIComponent(id)}/${accion}`, ctx, {});
  }

  listarReservas(consulta: ConsultaReservas, ctx: Contexto): Promise<RespuestaAeroAlpes> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(consulta)) if (typeof v === 'string' && v !== '') params.set(k, v);
    const qs = params.toString();
    return this.invocar('GET', `vuelos/reservas${qs ? `?${qs}` : ''}`, ctx);
  }

  private async invocar(metodo: 'GET' | 'POST', ruta: string, ctx: Contexto, cuerpo?: unknown): Promise<RespuestaAeroAlpes> {
    const { daprHost, daprHttpPort, appId, timeoutMs } = this.opciones;
    const url = `http://${daprHost}:${daprHttpPort}/v1.0/invoke/${encodeURIComponent(appId)}/method/${ruta}`;
    const cabeceras: Record<string, string> = { accept: 'application/json', 'x-correlation-id': ctx.idCorrelacion, ...cabecerasDapr(this.opciones.tokenDapr) };
    if (ctx.traceparent) cabeceras.traceparent = ctx.traceparent;
    if (cuerpo !== undefined) cabeceras['content-type'] = 'application/json';
    let respuesta: Response;
    try {
      respuesta = await fetch(url, {
        method: metodo,
        headers: cabeceras,
        ...(cuerpo !== undefined ? { body: JSON.stringify(cuerpo) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const e = err as Error;
      if (e.name === 'TimeoutError') return noDisponible(504, `sin respuesta en ${timeoutMs} ms`);
      return noDisponible(503, `sidecar inalcanzable (${(e.cause as Error | undefined)?.message ?? e.message})`);
    }
    const texto = await respuesta.text();
    let json: unknown;
    try {
      json = texto === '' ? undefined : JSON.parse(texto);
    } catch {
      return respuesta.ok
        ? { status: 502, cuerpo: { error: 'respuesta_invalida', mensaje: 'AeroAlpes respondió algo que no es JSON' } }
        : normalizarRespuesta(respuesta.status, texto.slice(0, 500));
    }
    return normalizarRespuesta(respuesta.status, json);
  }
}
