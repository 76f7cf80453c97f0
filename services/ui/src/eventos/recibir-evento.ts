import { camposEscritura, type Desenlace, type Escritura, type Logger, type MensajeRecibido } from '@aeroalpes/comun';
import type { EventoReservaPayload } from '@aeroalpes/contratos';
import { aEventoUi, type EventoUi } from './evento-ui';

export interface RegistroEventos {
  /** One result per event, in order; throws when the store fails. */
  registrar(eventos: readonly EventoUi[]): Promise<Escritura<EventoUi>[]>;
}

export interface Difusor {
  publicar(evento: EventoUi): number;
}

/** Message ids this process already pushed; bounded, oldest forgotten first. */
export class IdsVistos {
  private readonly ids = new Set<string>();
  constructor(private readonly maximo = 10_000) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.maximo) this.ids.delete(this.ids.values().next().value as string);
  }
}

/**
 * The BFF's subscription to `eventos-reserva` (the seam has dropped what breaks the contract): an
 * event is recorded in the reserva's history and then pushed to the browsers, once per message
 * id. A failure to record throws (the seam answers RETRY, never an ack of something not done) and
 * pushes nothing, so the redelivery does both. The push is deduplicated by this process even when
 * the history already had the event: with several BFF replicas another one may have recorded it,
 * and after a restart the browsers still need it (a page also ignores an id it has seen). An
 * event whose (reserva, version) holds another message id is dropped and not pushed: each
 * version has one event, so it is an anomaly for the dead-letter topic, not a state for the page.
 */
export class RecibirEventoReserva {
  constructor(
    private readonly historial: RegistroEventos,
    private readonly difusor: Difusor,
    private readonly log: Logger,
    private readonly empujados = new IdsVistos(),
  ) {}

  /** A batch: recorded in one state operation, each message with its own outcome, in order. */
  async manejarLote(mensajes: readonly MensajeRecibido<EventoReservaPayload>[]): Promise<Desenlace[]> {
    const eventos = mensajes.map((m) => aEventoUi(m));
    const escrituras = await this.historial.registrar(eventos);
    return eventos.map((evento, i) => this.desenlace(evento, escrituras[i]!));
  }

  private desenlace(evento: EventoUi, escritura: Escritura<EventoUi>): Desenlace {
    const log = this.log.con({ message_id: evento.id_mensaje, correlation_id: evento.id_correlacion, id_reserva: evento.id_reserva });
    if (escritura.tipo === 'nuevo' || escritura.tipo === 'repetido') {
      this.empujar(evento, escritura.tipo, log);
      return 'SUCCESS';
    }
    if (escritura.tipo === 'agotado') {
      log.error('conflictos repetidos al registrar el evento: se reintentará', { type: evento.tipo });
      return 'RETRY';
    }
    log.warn('evento que no cabe en el historial de la reserva: al dead-letter', { type: evento.tipo, version: evento.version, ...camposEscritura(escritura) });
    return 'DROP';
  }

  private empujar(evento: EventoUi, registro: 'nuevo' | 'repetido', log: Logger): void {
    if (this.empujados.has(evento.id_mensaje)) {
      log.debug('mensaje repetido: ya enviado a los navegadores', { type: evento.tipo });
      return;
    }
    this.empujados.add(evento.id_mensaje);
    const entregados = this.difusor.publicar(evento);
    log.info('evento enviado a los navegadores', { type: evento.tipo, estado: evento.estado, write: registro, browsers: entregados });
  }
}
