import express from 'express';
import { contratoEventoReserva, erroresJson, montarSuscripciones, Salud, suscripcion, type AlmacenEstado, type Comprobacion, type Logger } from '@aeroalpes/comun';
import { topicoDeadLetter } from '@aeroalpes/contratos';
import type { ConfigUi } from './config';
import { HistorialEventos } from './eventos/historial';
import { HubEventos } from './eventos/hub';
import { RecibirEventoReserva } from './eventos/recibir-evento';
import type { AeroAlpes } from './reservas/aeroalpes';
import { rutasReservas } from './reservas/rutas';
import { rutasEstaticas } from './web/estatico';

/** What the BFF needs from outside: Dapr (state store, invocation) behind two small ports. */
export interface DependenciasUi {
  config: Pick<ConfigUi, 'dapr' | 'pubsubDifusion' | 'origenesPermitidos' | 'ws' | 'recientesMaximo'> & Partial<Pick<ConfigUi, 'tokenApp' | 'lote' | 'hostsPermitidos'>>;
  almacen: AlmacenEstado;
  aeroalpes: AeroAlpes;
  log: Logger;
  /** What readiness checks (main.ts: the sidecar); none: always ready. */
  comprobaciones?: Record<string, Comprobacion>;
}

export interface Ui {
  app: express.Express;
  /** Attach to the HTTP server once it exists: `hub.adjuntar(server)`. */
  hub: HubEventos;
  historial: HistorialEventos;
  /** Liveness and readiness (GET /health, /health/live, /health/ready); drained on shutdown. */
  salud: Salud;
}

/**
 * The BFF without its transport: the express app (page, API, Dapr subscription) and the websocket
 * hub. main.ts gives it the Dapr adapters and a listening server; tests give it in-memory ones.
 */
export function crearUi(deps: DependenciasUi): Ui {
  const { config, log } = deps;
  const historial = new HistorialEventos(deps.almacen, { maximoRecientes: config.recientesMaximo }, log);
  const hub = new HubEventos({
    ...config.ws,
    origenesPermitidos: config.origenesPermitidos,
    hostsPermitidos: config.hostsPermitidos ?? '*',
    snapshot: () => historial.recientes(),
    log,
  });
  const recibir = new RecibirEventoReserva(historial, hub, log);

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  const salud = new Salud(deps.comprobaciones ?? {}, { detalle: () => ({ navegadores: hub.conectados }) });
  app.use(salud.rutas());
  const RUTA_EVENTOS = '/eventos/reserva';
  montarSuscripciones(
    app,
    [
      // Through the per-replica component: every replica receives every event (config.ts).
      suscripcion({
        pubsubname: config.pubsubDifusion,
        topic: config.dapr.topicEventos,
        contrato: contratoEventoReserva,
        ruta: RUTA_EVENTOS,
        // DROP (an event that breaks the contract) and exhausted retries end here, not in a loop.
        deadLetterTopic: topicoDeadLetter(config.dapr.topicEventos),
        lote: config.lote,
        // A batch's events in one state transaction.
        manejarLote: (mensajes) => recibir.manejarLote(mensajes),
      }),
    ],
    log,
    // Only the ui's own sidecar delivers (APP_API_TOKEN; the seam checks it on every Dapr route).
    { tokenApp: config.tokenApp },
  );
  app.use(rutasReservas(deps.aeroalpes, historial, log));
  app.use(rutasEstaticas());
  erroresJson(app, log);
  return { app, hub, historial, salud };
}
