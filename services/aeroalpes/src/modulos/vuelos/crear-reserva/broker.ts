/**
 * CrearReserva through the broker (topic comandos-reserva): the dispatcher that sends the command,
 * the command outbox that keeps it when the broker does not take it, and the subscription handler
 * that runs it. main.ts wires them; the use case itself is `comando.ts`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Collection, Db } from 'mongodb';
import { comandoDeSolicitud, solicitudDeComando, TIPO_COMANDO_CREAR_RESERVA, type ComandoCrearReservaPayload } from '@aeroalpes/contratos';
import { loggerSilencioso, type Campos, type Desenlace, type Logger, type MensajeRecibido } from '@aeroalpes/comun';
import { BusComandos } from '../../../seedwork/aplicacion/comandos';
import { DependenciaNoDisponible } from '../../../seedwork/aplicacion/resultado';
import { coleccionVigilada } from '../../../seedwork/infraestructura/mongo';
import { resultadoDapr } from '../../../api/tabla-errores';
import { MensajeIntegracion, PublicadorMensajes, ValorCarga } from '../../../seedwork/infraestructura/mensajes';
import { OutboxPendiente, PendientesAgregado } from '../../../seedwork/infraestructura/outbox';
import { CrearReserva, DespachadorComandos } from './comando';
import { validadorSolicitud } from './rest';
import type { Validacion } from '../../../api/validacion';
import type { SolicitudReservaDTO } from '../aplicacion/dto';

/** Commands the broker could not take when they were accepted; the outbox relay publishes them. */
export class BandejaComandosMongo implements OutboxPendiente {
  readonly nombre = 'comandos';

  private readonly coleccion: Collection<{ _id: string; mensaje: MensajeIntegracion; time: number }>;

  constructor(coleccion: Collection<{ _id: string; mensaje: MensajeIntegracion; time: number }>) {
    // Driver errors that mean "MongoDB is unreachable" become DependenciaNoDisponible (503, RETRY).
    this.coleccion = coleccionVigilada(coleccion);
  }

  static enBase(db: Db, nombre: string): BandejaComandosMongo {
    return new BandejaComandosMongo(db.collection(nombre));
  }

  async guardar(mensaje: MensajeIntegracion): Promise<void> {
    await this.coleccion.insertOne({ _id: mensaje.id, mensaje, time: mensaje.time });
  }

  async pendientes({ hasta, limite }: { hasta: number; limite: number }): Promise<PendientesAgregado[]> {
    const docs = await this.coleccion
      .find({ time: { $lte: hasta } })
      .sort({ time: 1 })
      .limit(limite)
      .toArray();
    return docs.map((d) => ({ idAgregado: d._id, mensajes: [d.mensaje] }));
  }

  async pendientesDe(idAgregado: string): Promise<PendientesAgregado | null> {
    const d = await this.coleccion.findOne({ _id: idAgregado });
    return d ? { idAgregado, mensajes: [d.mensaje] } : null;
  }

  async marcarEnviados(idAgregado: string): Promise<void> {
    await this.coleccion.deleteOne({ _id: idAgregado });
  }
}

/**
 * POST /vuelos/reserva-comando through the broker: the command goes to `comandos-reserva`; if the
 * broker does not take it in time, it is written to the command outbox (MongoDB) and the relay
 * publishes it later. Either way the 202 means durably accepted; if both fail the caller gets an
 * error and nothing was accepted. A publish that timed out but still reached the broker is
 * published again by the relay with the same message id: consumers dedup on it.
 */
export class DespachadorComandosBroker implements DespachadorComandos {
  constructor(
    private readonly publicador: PublicadorMensajes,
    private readonly bandeja: BandejaComandosMongo,
    private readonly topic: string,
    private readonly logger: Logger = loggerSilencioso,
    private readonly reloj: () => number = Date.now,
  ) {}

  mensaje(comando: CrearReserva): MensajeIntegracion {
    // Every field of the request (contract codec): the async create stores what the sync one does.
    const payload = comandoDeSolicitud(comando.idReserva, comando.solicitud) as unknown as Record<string, ValorCarga>;
    return {
      id: randomUUID(),
      topic: this.topic,
      type: TIPO_COMANDO_CREAR_RESERVA,
      time: this.reloj(),
      correlationId: comando.idCorrelacion,
      aggregateId: comando.idReserva,
      aggregateVersion: 0,
      payload,
    };
  }

  async despachar(comando: CrearReserva): Promise<void> {
    const mensaje = this.mensaje(comando);
    const log: Campos = { correlation_id: mensaje.correlationId, message_id: mensaje.id, id_reserva: comando.idReserva };
    try {
      await this.publicador.publicar(mensaje);
      return;
    } catch (error) {
      this.logger.warn('el broker no tomó el comando: queda en la bandeja para el relay', { ...log, err: error });
    }
    try {
      await this.bandeja.guardar(mensaje);
    } catch (error) {
      this.logger.error('ni el broker ni la base de datos tomaron el comando', { ...log, err: error });
      throw new DependenciaNoDisponible('no se pudo aceptar el comando: broker y base de datos no disponibles');
    }
  }
}

/** A message id derived from another (the same input always gives the same UUID-shaped id). */
export function idDerivado(base: string, sufijo: string): string {
  const h = createHash('sha1').update(`${base}:${sufijo}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

/**
 * The subscription to `comandos-reserva`: runs CrearReserva for each command, once per reserva id
 * however often the broker redelivers it. A command that breaks a business rule is answered with
 * a ReservaRechazada event (its message id derived from the command's, so a redelivery publishes
 * the same message and consumers see it once) instead of vanishing. The seam gives it only commands
 * that hold the contract (the rest go to the dead-letter topic).
 */
export class ManejadorComandosReserva {
  constructor(
    private readonly bus: BusComandos,
    private readonly publicador: PublicadorMensajes,
    private readonly topicEventos: string,
    private readonly logger: Logger = loggerSilencioso,
    private readonly reloj: () => number = Date.now,
  ) {}

  async manejar({ id, correlacion = id, data: comando }: MensajeRecibido<ComandoCrearReservaPayload>): Promise<Desenlace> {
    const log: Campos = { correlation_id: correlacion, message_id: id, id_reserva: comando.id_reserva };
    // Held to the REST request's rules (the same validator as POST /vuelos/reserva-comando): a
    // command that breaks them can never succeed, so it goes to the dead-letter topic at once.
    const solicitud = comoSolicitud(comando);
    if (!solicitud.ok) {
      this.logger.warn('comando fuera de las reglas de la API: al dead-letter', { ...log, errors: solicitud.errores.slice(0, 5) });
      return 'DROP';
    }
    const resultado = await this.bus.ejecutar(new CrearReserva(correlacion, comando.id_reserva, solicitud.valor));
    if (resultado.ok) {
      this.logger.info('reserva creada desde comando', log);
      return 'SUCCESS';
    }
    const error = resultado.error;
    if (error.tipo !== 'ReglaNegocio') {
      // The outcome every transport gives this error (api/tabla-errores.ts): a duplicate is done,
      // what may work later is retried, what never will goes to the dead-letter topic.
      const desenlace = resultadoDapr(error);
      if (desenlace === 'SUCCESS') this.logger.info('comando repetido: la reserva ya existe', { ...log, error_type: error.tipo });
      else this.logger.warn(desenlace === 'RETRY' ? 'comando no aplicable: se reintentará' : 'comando no aplicable: al dead-letter', { ...log, error_type: error.tipo });
      return desenlace;
    }
    // A business rule failed: the command is done, its answer is a ReservaRechazada event.
    await this.publicador.publicar({
      id: idDerivado(id, 'ReservaRechazada'),
      topic: this.topicEventos,
      type: 'ReservaRechazada',
      time: this.reloj(),
      correlationId: correlacion,
      aggregateId: comando.id_reserva,
      aggregateVersion: 0,
      payload: { id_reserva: comando.id_reserva, motivo: `${error.regla}: ${error.mensaje}` },
    });
    this.logger.warn('comando rechazado por una regla de negocio', { ...log, rule: error.regla });
    return 'SUCCESS';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The command as the REST request it carries, checked by the REST validator; a conversion that throws is an error too. */
function comoSolicitud(comando: ComandoCrearReservaPayload): Validacion<SolicitudReservaDTO> {
  if (!UUID.test(comando.id_reserva)) return { ok: false, errores: [{ campo: 'id_reserva', regla: 'format', mensaje: 'debe ser un UUID' }] };
  let rest: unknown;
  try {
    rest = solicitudDeComando(comando);
  } catch (error) {
    return { ok: false, errores: [{ campo: 'itinerarios', regla: 'format', mensaje: `no convertible a la solicitud REST: ${(error as Error).message}` }] };
  }
  const v = validadorSolicitud.validar(rest);
  if (v.ok) return v;
  // An empty list is the domain's own rule (MinimoUnItinerario, MinimoUnElemento): the command is
  // answered with its ReservaRechazada, as a business rule should be. Everything else goes.
  const errores = v.errores.filter((e) => e.regla !== 'minItems');
  return errores.length > 0 ? { ok: false, errores } : { ok: true, valor: rest as SolicitudReservaDTO };
}
