import type { MensajeRecibido } from './suscripcion';

/** A payload that came as text: JSON when its content type says so or it looks like JSON, else the text (its contract rejects it). */
export function datosDe(texto: string, tipoContenido = ''): unknown {
  if (/json/i.test(tipoContenido) || /^\s*[[{]/.test(texto)) {
    try {
      return JSON.parse(texto);
    } catch {
      /* left as text */
    }
  }
  return texto;
}

/**
 * Reads a CloudEvent in its JSON form (an HTTP delivery, a bulk entry, a gRPC bulk entry's
 * bytes). Undefined when it is not one (no id). `topic` is the CloudEvent's own, else `topicPorDefecto`.
 */
export function leerCloudEvent(cuerpo: unknown, topicPorDefecto: string): MensajeRecibido | undefined {
  if (typeof cuerpo !== 'object' || cuerpo === null || Array.isArray(cuerpo)) return undefined;
  const ce = cuerpo as Record<string, unknown>;
  if (typeof ce.id !== 'string' || ce.id === '') return undefined;
  const tipoContenido = texto(ce.datacontenttype) ?? '';
  let data = ce.data;
  if (data === undefined && typeof ce.data_base64 === 'string') data = Buffer.from(ce.data_base64, 'base64').toString('utf8');
  if (typeof data === 'string') data = datosDe(data, tipoContenido);
  return { id: ce.id, type: texto(ce.type) ?? '', topic: texto(ce.topic) ?? topicPorDefecto, ...atributos(ce), data, evento: ce };
}

/** The optional attributes a handler may use, from a CloudEvent or a gRPC request's extensions. */
export function atributos(ce: Record<string, unknown>): Pick<MensajeRecibido, 'source' | 'time' | 'traceparent'> {
  const source = texto(ce.source);
  const time = texto(ce.time);
  const traceparent = texto(ce.traceparent);
  return { ...(source ? { source } : {}), ...(time ? { time } : {}), ...(traceparent ? { traceparent } : {}) };
}

function texto(valor: unknown): string | undefined {
  return typeof valor === 'string' && valor !== '' ? valor : undefined;
}
