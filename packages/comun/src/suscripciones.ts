import express from 'express';
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
  manejar(mensaje: MensajeRecibido): Promise<Resultado>;
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

/**
 * Declares the subscriptions to Dapr (GET /dapr/subscribe, programmatic) and mounts one route per
 * subscription that answers Dapr with an explicit status.
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
      })),
    );
  });
  const json = express.json({ type: ['application/json', 'application/*+json', 'text/plain'], limit: '1mb' });
  for (const s of suscripciones) {
    app.post(s.route, json, async (req, res) => {
      const mensaje = leerCloudEvent(req.body, s.topic);
      if (!mensaje) {
        log.warn('mensaje sin id de CloudEvent: descartado', { topic: s.topic });
        res.json({ status: 'DROP' satisfies Resultado });
        return;
      }
      let status: Resultado;
      try {
        status = await s.manejar(mensaje);
      } catch (err) {
        log.error('fallo procesando mensaje: se reintentará', { topic: s.topic, message_id: mensaje.id, type: mensaje.type, err });
        status = 'RETRY';
      }
      res.json({ status });
    });
  }
}
