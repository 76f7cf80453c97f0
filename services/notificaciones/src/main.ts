/** Composition root of notificaciones: one subscription, one use case, one history endpoint. */
import { CommunicationProtocolEnum, DaprClient, LogLevel } from '@dapr/dapr';
import express from 'express';
import { configDapr, configLote, crearLogger, entero, erroresJson, escuchar, Estado, montarSuscripciones, type MensajeRecibido } from '@aeroalpes/comun';
import { validarEventoReserva } from '@aeroalpes/contratos';
import { EnviarNotificacion, registroNotificaciones } from './notificaciones';
import { RegistroDeadLetter } from './dead-letter';

const log = crearLogger({ servicio: 'notificaciones' });
const dapr = configDapr();
const lote = configLote();
const client = new DaprClient({
  daprHost: dapr.host,
  daprPort: String(dapr.httpPort),
  communicationProtocol: CommunicationProtocolEnum.HTTP,
  logger: { level: LogLevel.Error },
});
const estado = new Estado(client, dapr.statestore);
const enviar = new EnviarNotificacion(estado, validarEventoReserva, log);
const notificaciones = registroNotificaciones(estado);
const deadLetter = new RegistroDeadLetter(estado, log);

const app = express();
app.disable('x-powered-by');
app.get('/health', (_req, res) => {
  res.json({ status: 'up' });
});
montarSuscripciones(
  app,
  [
    {
      pubsubname: dapr.pubsub,
      topic: dapr.topicEventos,
      route: '/eventos/reserva',
      deadLetterTopic: `${dapr.topicEventos}-dlq`,
      lote,
      manejar: (m) => enviar.manejar(m),
      // A batch's notifications in one state transaction.
      manejarLote: (mensajes) => enviar.manejarLote(mensajes),
    },
    // What the consumers of both topics gave up on (aeroalpes' included) is recorded here.
    ...[dapr.topicEventos, dapr.topicComandos].map((topic) => ({
      pubsubname: dapr.pubsub,
      topic: `${topic}-dlq`,
      route: `/dead-letter/${topic}`,
      manejar: (m: MensajeRecibido) => deadLetter.registrar(m, `${topic}-dlq`),
    })),
  ],
  log,
);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
app.get('/notificaciones', async (req, res, next) => {
  try {
    const id = req.query.id_reserva;
    if (typeof id !== 'string' || !UUID.test(id)) {
      res.status(400).json({ error: 'validacion', mensaje: 'id_reserva es obligatorio', errores: [{ campo: 'id_reserva', regla: 'format', mensaje: 'debe ser un UUID' }] });
      return;
    }
    res.json({ id_reserva: id, notificaciones: await notificaciones.leer(id) });
  } catch (err) {
    next(err);
  }
});
app.get('/dead-letter', async (_req, res, next) => {
  try {
    res.json({ mensajes: await deadLetter.listar() });
  } catch (err) {
    next(err);
  }
});
erroresJson(app, log);
escuchar(app, entero('PORT', 5001), log);
