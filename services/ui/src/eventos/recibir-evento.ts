import type { Logger, MensajeRecibido, Resultado } from '@aeroalpes/comun';
import { aEventoUi, type EventoUi } from './evento-ui';

/** Validates an integration event; returns the reasons it is not one (empty when valid). */
export type ValidadorEvento = (tipo: string, data: unknown) => unknown[];

export interface RegistroEventos {
  registrar(evento: EventoUi): Promise<'nuevo' | 'repetido'>;
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
 * The BFF's subscription to `eventos-reserva`: an invalid event is dropped (Dapr sends it to the
 * dead-letter topic); a valid one is recorded in the reserva's history and then pushed to the
 * browsers, once per message id. A failure to record answers RETRY (never a thrown error, never
 * an ack of something not done) and pushes nothing, so the redelivery does both. The push is
 * deduplicated by this process even when the history already had the event: with several BFF
 * replicas another one may have recorded it, and after a restart the browsers still need it (a
 * page also ignores an id it has seen).
 */
export class RecibirEventoReserva {
  constructor(
    private readonly historial: RegistroEventos,
    private readonly difusor: Difusor,
    private readonly validar: ValidadorEvento,
    private readonly log: Logger,
    private readonly empujados = new IdsVistos(),
  ) {}

  async manejar(mensaje: MensajeRecibido): Promise<Resultado> {
    const errores = this.validar(mensaje.type, mensaje.data);
    if (errores.length > 0) {
      this.log.warn('evento inválido: al dead-letter', { message_id: mensaje.id, type: mensaje.type, errores });
      return 'DROP';
    }
    const evento = aEventoUi(mensaje);
    const log = this.log.con({ message_id: evento.id_mensaje, correlation_id: evento.id_correlacion, id_reserva: evento.id_reserva });
    let registro: 'nuevo' | 'repetido';
    try {
      registro = await this.historial.registrar(evento);
    } catch (err) {
      log.error('no se pudo registrar el evento: se reintentará', { type: evento.tipo, err });
      return 'RETRY';
    }
    if (this.empujados.has(evento.id_mensaje)) {
      log.debug('mensaje repetido: ya enviado a los navegadores', { type: evento.tipo });
      return 'SUCCESS';
    }
    this.empujados.add(evento.id_mensaje);
    const entregados = this.difusor.publicar(evento);
    log.info('evento enviado a los navegadores', { type: evento.tipo, estado: evento.estado, registro, navegadores: entregados });
    return 'SUCCESS';
  }
}
