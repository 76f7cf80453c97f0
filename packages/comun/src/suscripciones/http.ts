import express from 'express';
import type { Logger } from '../log';
import { exigirTokenApp } from '../tokens';
import { leerCloudEvent } from './cloud-event';
import { atender, declaracionDapr, type Entrega, type Suscripcion } from './suscripcion';

/** The path Dapr posts a subscription's messages to. */
export const rutaDe = (s: Suscripcion) => s.ruta ?? `/dapr/suscripciones/${s.topic}`;

/** One entry of a bulk request (Dapr 1.18 BulkSubscribeMessageItem; also `contentType`, `metadata`). */
interface EntradaLote {
  entryId?: unknown;
  /** The CloudEvent as an object, or as its JSON text. */
  event?: unknown;
}

/**
 * The HTTP transport: declares the subscriptions to Dapr (GET /dapr/subscribe, programmatic) and
 * mounts one route per subscription for both deliveries: a single CloudEvent, answered
 * `{status}`, and a bulk request `{entries: [{entryId, event, contentType, metadata}], id, topic,
 * pubsubname, ...}`, answered `{statuses: [{entryId, status}]}`, every entry with its own outcome.
 */
export function montarSuscripciones(app: express.Express, suscripciones: readonly Suscripcion[], log: Logger, opciones: { tokenApp?: string } = {}): void {
  // Only the app's own sidecar may declare-read or deliver: the app token first (APP_API_TOKEN),
  // before any body is parsed; 401 without it (tokens.ts).
  const soloSidecar = exigirTokenApp(log, opciones.tokenApp);
  app.get('/dapr/subscribe', soloSidecar, (_req, res) => {
    res.json(suscripciones.map((s) => ({ ...declaracionDapr(s), route: rutaDe(s) })));
  });
  for (const s of suscripciones) {
    // A batch is many CloudEvents in one body: room for each (events are ~1 KB; 256 KiB each).
    const limite = 1024 * 1024 + (s.lote?.maxMensajes ?? 0) * 256 * 1024;
    const json = express.json({ type: ['application/json', 'application/*+json', 'text/plain'], limit: limite });
    app.post(rutaDe(s), soloSidecar, json, async (req, res) => {
      const cuerpo = req.body as { entries?: unknown } | undefined;
      if (cuerpo && typeof cuerpo === 'object' && Array.isArray(cuerpo.entries)) {
        // Dapr checks every entryId before it posts; one without cannot be answered, Dapr retries it.
        const entradas = (cuerpo.entries as EntradaLote[]).filter((e): e is { entryId: string; event?: unknown } => typeof e?.entryId === 'string' && e.entryId !== '');
        const entregas: Entrega[] = entradas.map((e) => ({ entryId: e.entryId, mensaje: leerCloudEvent(textoAObjeto(e.event), s.topic) }));
        const desenlaces = await atender(s, entregas, log);
        res.json({ statuses: entradas.map((e, i) => ({ entryId: e.entryId, status: desenlaces[i] })) });
        return;
      }
      const [status] = await atender(s, [{ mensaje: leerCloudEvent(req.body, s.topic) }], log);
      res.json({ status });
    });
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
