import express from 'express';
import type { ConfigLote } from './config';
import type { Logger } from './log';

/**
 * The outcome a consumer returns to Dapr. Nothing is acknowledged that was not done: a handler
 * that throws answers RETRY (the JS SDK's own subscribe callbacks would ack it, js-sdk issue 720).
 */
export type Resultado = 'SUCCESS' | 'RETRY' | 'DROP';

/** A message as Dapr delivers it: the CloudEvent attributes and the payload. */
export interface MensajeRecibido<T = unknown> {
  /** CloudEvent id: the message id given at commit; consumers dedup on it. */
  id: string;
  /** CloudEvent type: the integration event's name (ReservaCreada, ...). */
  type: string;
  topic: string;
  source?: string;
  time?: string;
  traceparent?: string;
  data: T;
  /** The whole CloudEvent, for anything not lifted above. */
  evento: Record<string, unknown>;
}

export interface Suscripcion {
  pubsubname: string;
  topic: string;
  /** Path Dapr posts the messages to. */
  route: string;
  deadLetterTopic?: string;
  metadata?: Record<string, string>;
  /** Bulk delivery (Dapr's bulkSubscribe); absent: one message per request. */
  lote?: ConfigLote;
  manejar(mensaje: MensajeRecibido): Promise<Resultado>;
  /**
   * The valid messages of one request at once (a single delivery is a batch of one), one result
   * per message in the same order: e.g. one state transaction for the batch. A throw is RETRY for
   * every message it was given. Without it each message goes through `manejar`, concurrently, a
   * throw being RETRY for that message only.
   */
  manejarLote?(mensajes: MensajeRecibido[]): Promise<Resultado[]>;
}

/** Reads the CloudEvent Dapr posted. Returns undefined when it is not one. */
export function leerCloudEvent(cuerpo: unknown, topicPorDefecto: string): MensajeRecibido | undefined {
  if (typeof cuerpo !== 'object' || cuerpo === null || Array.isArray(cuerpo)) return undefined;
  const ce = cuerpo as Record<string, unknown>;
  if (typeof ce.id !== 'string' || ce.id === '') return undefined;
  let data = ce.data;
  if (data === undefined && typeof ce.data_base64 === 'string') {
    data = Buffer.from(ce.data_base64, 'base64').toString('utf8');
  }
  if (typeof data === 'string' && /^\s*[[{]/.test(data)) {
    try {
      data = JSON.parse(data);
    } catch {
      /* left as text: the handler's validation reports it */
    }
  }
  return {
    id: ce.id,
    type: typeof ce.type === 'string' ? ce.type : '',
    topic: typeof ce.topic === 'string' ? ce.topic : topicPorDefecto,
    ...(typeof ce.source === 'string' ? { source: ce.source } : {}),
    ...(typeof ce.time === 'string' ? { time: ce.time } : {}),
    ...(typeof ce.traceparent === 'string' ? { traceparent: ce.traceparent } : {}),
    data,
    evento: ce,
  };
}

/** One entry of a bulk request (Dapr 1.18 BulkSubscribeMessageItem; also `contentType`, `metadata`). */
interface EntradaLote {
  entryId?: unknown;
  /** The CloudEvent as an object, or as its JSON text. */
  event?: unknown;
}

const DESCARTADO = 'mensaje sin id de CloudEvent: descartado';
const REINTENTO = 'fallo procesando mensaje: se reintentará';

/**
 * Declares the subscriptions to Dapr (GET /dapr/subscribe, programmatic) and mounts one route per
 * subscription that answers Dapr with an explicit outcome. The route takes both deliveries:
 * a single CloudEvent, answered `{status}`, and a bulk request `{entries: [{entryId, event,
 * contentType, metadata}], id, topic, pubsubname, ...}`, answered `{statuses: [{entryId, status}]}`
 * with every entry's own outcome (an entry that is not a CloudEvent is DROP; a thrown error is
 * RETRY for the entries it concerns, never the whole request).
 */
export function montarSuscripciones(app: express.Express, suscripciones: Suscripcion[], log: Logger): void {
  app.get('/dapr/subscribe', (_req, res) => {
    res.json(
      suscripciones.map((s) => ({
        pubsubname: s.pubsubname,
        topic: s.topic,
        route: s.route,
        ...(s.deadLetterTopic ? { deadLetterTopic: s.deadLetterTopic } : {}),
        ...(s.metadata ? { metadata: s.metadata } : {}),
        ...(s.lote ? { bulkSubscribe: { enabled: true, maxMessagesCount: s.lote.maxMensajes, maxAwaitDurationMs: s.lote.esperaMs } } : {}),
      })),
    );
  });
  for (const s of suscripciones) {
    // A batch is many CloudEvents in one body: room for each (events are ~1 KB; 256 KiB each).
    const limite = 1024 * 1024 + (s.lote?.maxMensajes ?? 0) * 256 * 1024;
    const json = express.json({ type: ['application/json', 'application/*+json', 'text/plain'], limit: limite });
    app.post(s.route, json, async (req, res) => {
      const cuerpo = req.body as { entries?: unknown } | undefined;
      if (cuerpo && typeof cuerpo === 'object' && Array.isArray(cuerpo.entries)) {
        res.json({ statuses: await procesarLote(s, cuerpo.entries as EntradaLote[], log) });
        return;
      }
      const mensaje = leerCloudEvent(req.body, s.topic);
      if (!mensaje) {
        log.warn(DESCARTADO, { topic: s.topic });
        res.json({ status: 'DROP' satisfies Resultado });
        return;
      }
      const [status] = await procesar(s, [mensaje], log);
      res.json({ status });
    });
  }
}

async function procesarLote(s: Suscripcion, entradas: EntradaLote[], log: Logger): Promise<{ entryId: string; status: Resultado }[]> {
  const statuses: { entryId: string; status: Resultado }[] = [];
  const validos: { entryId: string; mensaje: MensajeRecibido }[] = [];
  for (const entrada of entradas) {
    // Dapr checks every entryId before it posts; one without cannot be answered, Dapr retries it.
    if (typeof entrada?.entryId !== 'string' || entrada.entryId === '') continue;
    const mensaje = leerCloudEvent(textoAObjeto(entrada.event), s.topic);
    if (mensaje) validos.push({ entryId: entrada.entryId, mensaje });
    else {
      log.warn(DESCARTADO, { topic: s.topic, entry_id: entrada.entryId });
      statuses.push({ entryId: entrada.entryId, status: 'DROP' });
    }
  }
  const resultados = await procesar(s, validos.map((v) => v.mensaje), log);
  validos.forEach((v, i) => statuses.push({ entryId: v.entryId, status: resultados[i]! }));
  return statuses;
}

/** The handler's outcomes for `mensajes`, in order; whatever throws is RETRY for the messages it concerns. */
async function procesar(s: Suscripcion, mensajes: MensajeRecibido[], log: Logger): Promise<Resultado[]> {
  if (mensajes.length === 0) return [];
  const uno = async (m: MensajeRecibido): Promise<Resultado> => {
    try {
      return await s.manejar(m);
    } catch (err) {
      log.error(REINTENTO, { topic: s.topic, message_id: m.id, type: m.type, err });
      return 'RETRY';
    }
  };
  if (!s.manejarLote) return Promise.all(mensajes.map(uno));
  try {
    const resultados = await s.manejarLote(mensajes);
    if (resultados.length !== mensajes.length) throw new Error(`manejarLote devolvió ${resultados.length} resultados para ${mensajes.length} mensajes`);
    return resultados;
  } catch (err) {
    log.error(REINTENTO, { topic: s.topic, message_ids: mensajes.map((m) => m.id), err });
    return mensajes.map(() => 'RETRY');
  }
}

/** A bulk entry's event arrives as an object, or as JSON text (non-JSON text is no CloudEvent). */
function textoAObjeto(evento: unknown): unknown {
  if (typeof evento !== 'string') return evento;
  try {
    return JSON.parse(evento) as unknown;
  } catch {
    return undefined;
  }
}
