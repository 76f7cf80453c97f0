import type { ConfigLote } from '../config';
import type { Logger } from '../log';

/**
 * The outcome a consumer returns to Dapr. Nothing is acknowledged that was not done: a handler
 * that throws answers RETRY (the JS SDK's own subscribe callbacks would ack it, js-sdk issue 720).
 */
export type Desenlace = 'SUCCESS' | 'RETRY' | 'DROP';

/** A message as Dapr delivers it: the CloudEvent attributes and the payload (typed once its contract holds). */
export interface MensajeRecibido<T = unknown> {
  /** CloudEvent id: the message id given at commit; consumers dedup on it. */
  id: string;
  /** CloudEvent type: the integration event's name (ReservaCreada, ...). */
  type: string;
  topic: string;
  source?: string;
  time?: string;
  traceparent?: string;
  /** The request's correlation id (`data.id_correlacion` of every v1 message), when it has one. */
  correlacion?: string;
  data: T;
  /** The whole CloudEvent, for anything not lifted above. */
  evento: Record<string, unknown>;
}

/** What a subscription accepts: the payload typed, or why it breaks the contract (never throws). */
export interface Contrato<T> {
  leer(tipo: string, data: unknown): { valido: true; valor: T } | { valido: false; errores: readonly unknown[] };
}

interface Declaracion<T> {
  pubsubname: string;
  topic: string;
  contrato: Contrato<T>;
  deadLetterTopic?: string;
  metadata?: Record<string, string>;
  /** Bulk delivery (Dapr's bulkSubscribe); absent: one message per request. */
  lote?: ConfigLote;
  /** HTTP transport only: the path Dapr posts to (default `/dapr/suscripciones/<topic>`). */
  ruta?: string;
}

/**
 * A subscription is data: topic, contract, handler. The seam reads the CloudEvent, drops what
 * breaks the contract (Dapr sends it to the dead-letter topic), turns a throw into RETRY and
 * serves it over HTTP or the gRPC app channel. The handler gets valid, typed messages only and
 * answers each with its outcome: `manejar` one message at a time (a batch's run concurrently), or
 * `manejarLote` the valid messages of one delivery at once (a single delivery is a batch of one),
 * one outcome per message in the same order (e.g. one state transaction for the batch).
 */
export type Suscripcion<T = unknown> = Declaracion<T> &
  ({ manejar(mensaje: MensajeRecibido<T>): Promise<Desenlace>; manejarLote?: never } | { manejarLote(mensajes: MensajeRecibido<T>[]): Promise<Desenlace[]>; manejar?: never });

/** Declares a subscription with the handler's messages typed by its contract. */
export function suscripcion<T>(s: Suscripcion<T>): Suscripcion {
  return s;
}

/** The subscription as both of Dapr's declarations spell it (GET /dapr/subscribe, ListTopicSubscriptions). */
export function declaracionDapr(s: Suscripcion) {
  return {
    pubsubname: s.pubsubname,
    topic: s.topic,
    ...(s.deadLetterTopic ? { deadLetterTopic: s.deadLetterTopic } : {}),
    ...(s.metadata ? { metadata: s.metadata } : {}),
    ...(s.lote ? { bulkSubscribe: { enabled: true, maxMessagesCount: s.lote.maxMensajes, maxAwaitDurationMs: s.lote.esperaMs } } : {}),
  };
}

/** One message of a delivery as a transport read it: undefined when it is no CloudEvent. */
export interface Entrega {
  mensaje: MensajeRecibido | undefined;
  /** The bulk entry it came in, for the logs. */
  entryId?: string;
}

/**
 * The outcomes of one delivery (a single message or a bulk request), in order: what is no
 * CloudEvent or breaks the contract is DROP (one warn line each), the handler decides the rest,
 * and whatever throws is RETRY for the messages it concerns (one error line).
 */
export async function atender(s: Suscripcion, entregas: readonly Entrega[], log: Logger): Promise<Desenlace[]> {
  const desenlaces: Desenlace[] = entregas.map(() => 'DROP');
  const validos: { i: number; mensaje: MensajeRecibido }[] = [];
  entregas.forEach(({ mensaje, entryId }, i) => {
    if (!mensaje) return log.warn('mensaje sin id de CloudEvent: descartado', { topic: s.topic, ...(entryId ? { entry_id: entryId } : {}) });
    const leido = s.contrato.leer(mensaje.type, mensaje.data);
    if (!leido.valido) {
      const { correlacion: correlation_id } = correlacion(mensaje.data);
      return log.warn('mensaje fuera del contrato: al dead-letter', { topic: s.topic, message_id: mensaje.id, type: mensaje.type, correlation_id, errors: leido.errores });
    }
    validos.push({ i, mensaje: { ...mensaje, data: leido.valor, ...correlacion(leido.valor) } });
  });
  const resultados = await manejar(
    s,
    validos.map((v) => v.mensaje),
    log,
  );
  validos.forEach(({ i }, j) => (desenlaces[i] = resultados[j]!));
  return desenlaces;
}

const REINTENTO = 'fallo procesando mensaje: se reintentará';

async function manejar(s: Suscripcion, mensajes: MensajeRecibido[], log: Logger): Promise<Desenlace[]> {
  if (mensajes.length === 0) return [];
  if (s.manejarLote) {
    try {
      const resultados = await s.manejarLote(mensajes);
      if (resultados.length !== mensajes.length) throw new Error(`manejarLote devolvió ${resultados.length} resultados para ${mensajes.length} mensajes`);
      return resultados;
    } catch (err) {
      log.error(REINTENTO, { topic: s.topic, message_ids: mensajes.map((m) => m.id), err });
      return mensajes.map(() => 'RETRY');
    }
  }
  return Promise.all(
    mensajes.map(async (m): Promise<Desenlace> => {
      try {
        return await s.manejar(m);
      } catch (err) {
        log.error(REINTENTO, { topic: s.topic, message_id: m.id, type: m.type, ...(m.correlacion ? { correlation_id: m.correlacion } : {}), err });
        return 'RETRY';
      }
    }),
  );
}

function correlacion(data: unknown): { correlacion?: string } {
  const id = typeof data === 'object' && data !== null ? (data as { id_correlacion?: unknown }).id_correlacion : undefined;
  return typeof id === 'string' && id !== '' ? { correlacion: id } : {};
}
