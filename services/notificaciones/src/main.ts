/** Composition root of notificaciones: one subscription, one use case, one history endpoint. */
import { CommunicationProtocolEnum, DaprClient, LogLevel } from '@dapr/dapr';
import express from 'express';
import {
  ClienteEstado,
  configDapr,
  configLote,
  contratoEventoReserva,
  crearLogger,
  comprobarSidecar,
  cualquierMensaje,
  entero,
  erroresJson,
  escuchar,
  montarSuscripciones,
  Salud,
  suscripcion,
  tokenDapr,
} from '@aeroalpes/comun';
import { topicoDeadLetter } from '@aeroalpes/contratos';
import { EnviarNotificacion, registroNotificaciones } from './notificaciones';
import { OPCIONES_DEAD_LETTER, RegistroDeadLetter } from './dead-letter';

const log = crearLogger({ servicio: 'notificaciones' });
const dapr = configDapr();
const lote = configLote();
const client = new DaprClient({
  daprHost: dapr.host,
  daprPort: String(dapr.httpPort),
  communicationProtocol: CommunicationProtocolEnum.HTTP,
  logger: { level: LogLevel.Error },
  // The sidecar's API token (DAPR_API_TOKEN): the SDK does not read it from the environment itself.
  ...(tokenDapr() ? { daprApiToken: tokenDapr() } : {}),
});
const estado = new ClienteEstado(client, dapr.statestore);
const enviar = new EnviarNotificacion(estado, log);
const notificaciones = registroNotificaciones(estado);
const deadLetter = new RegistroDeadLetter(estado, log);

const app = express();
app.disable('x-powered-by');
// Ready when its sidecar answers (the state store and the broker are behind it).
const salud = new Salud({ sidecar: comprobarSidecar(`http://${dapr.host}:${dapr.httpPort}`) });
app.use(salud.rutas());
montarSuscripciones(
  app,
  [
    suscripcion({
      pubsubname: dapr.pubsub,
      topic: dapr.topicEventos,
      contrato: contratoEventoReserva,
      ruta: '/eventos/reserva',
      deadLetterTopic: topicoDeadLetter(dapr.topicEventos),
      lote,
      // A batch's notifications in one state transaction.
      manejarLote: (mensajes) => enviar.manejarLote(mensajes),
    }),
    // What the consumers of both topics gave up on (aeroalpes' included) is recorded here.
    ...[dapr.topicEventos, dapr.topicComandos].map((topic) =>
      suscripcion({
        pubsubname: dapr.pubsub,
        topic: topicoDeadLetter(topic),
        contrato: cualquierMensaje,
        ruta: `/dead-letter/${topic}`,
        manejar: (m) => deadLetter.registrar(m, topicoDeadLetter(topic)),
      }),
    ),
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
app.get('/dead-letter', async (req, res, next) => {
  try {
    // ?limite=N: the newest N (a canonical integer from 1 to the history's size), newest first.
    const crudo = req.query.limite;
    const limite = crudo === undefined ? OPCIONES_DEAD_LETTER.historial : typeof crudo === 'string' && /^[1-9][0-9]{0,5}$/.test(crudo) ? Number(crudo) : NaN;
    if (!(limite >= 1 && limite <= OPCIONES_DEAD_LETTER.historial)) {
      res.status(400).json({
        error: 'validacion',
        mensaje: 'limite no es válido',
        errores: [{ campo: 'limite', regla: 'maximum', mensaje: `debe ser un entero de 1 a ${OPCIONES_DEAD_LETTER.historial}` }],
      });
      return;
    }
    res.json({ mensajes: await deadLetter.listar(limite) });
  } catch (err) {
    next(err);
  }
});
erroresJson(app, log);
escuchar(app, entero('PORT', 5001), log, { salud });
