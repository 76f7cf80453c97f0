import type { Escritura, Logger, MensajeRecibido, Resultado } from '@aeroalpes/comun';
import { aEventoUi, type EventoUi } from './evento-ui';

/** Validates an integration event; returns the reasons it is not one (empty when valid). */
export type ValidadorEvento = (tipo: string, data: unknown) => unknown[];

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
 * The BFF's subscription to `eventos-reserva`: an invalid event is dropped (Dapr sends it to the
 * dead-letter topic); a valid one is recorded in the reserva's history and then pushed to the
 * browsers, once per message id. A failure to record answers RETRY (never a thrown error, never
 * an ack of something not done) and pushes nothing, so the redelivery does both. The push is
 * deduplicated by this process even when the history already had the event: with several BFF
 * replicas another one may have recorded it, and after a restart the browsers still need it (a
 * page also ignores an id it has seen). An event whose (reserva, version) holds another message
 * id is dropped and not pushed: each version has one event, so it is an anomaly for the
 * dead-letter topic, not a state for the page.
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
    const [resultado] = await this.manejarLote([mensaje]);
    return resultado!;
  }

  /** A batch: recorded in one state operation, each message with its own outcome, in order. */
  async manejarLote(mensajes: MensajeRecibido[]): Promise<Resultado[]> {
    const resultados: Resultado[] = mensajes.map(() => 'DROP');
    const validos: { i: number; evento: EventoUi }[] = [];
    mensajes.forEach((mensaje, i) => {
      const errores = this.validar(mensaje.type, mensaje.data);
      if (errores.length > 0) this.log.warn('evento inválido: al dead-letter', { message_id: mensaje.id, type: mensaje.type, errores });
      else validos.push({ i, evento: aEventoUi(mensaje) });
    });
    if (validos.length === 0) return resultados;
    const logDe = (e: EventoUi) => this.log.con({ message_id: e.id_mensaje, correlation_id: e.id_correlacion, id_reserva: e.id_reserva });
    let escrituras: Escritura<EventoUi>[];
    try {
      escrituras = await this.historial.registrar(validos.map((v) => v.evento));
    } catch (err) {
      for (const { i, evento } of validos) {
        logDe(evento).error('no se pudo registrar el evento: se reintentará', { type: evento.tipo, err });
        resultados[i] = 'RETRY';
      }
      return resultados;
    }
    validos.forEach(({ i, evento }, j) => {
      const log = logDe(evento);
      const escritura = escrituras[j]!;
      if (escritura.tipo === 'agotado') {
        log.error('conflictos repetidos al registrar el evento: se reintentará', { type: evento.tipo });
        resultados[i] = 'RETRY';
      } else if (escritura.tipo === 'conflicto' || escritura.tipo === 'invalido') {
        const detalle = escritura.tipo === 'conflicto' ? { message_id_previo: escritura.previo.id_mensaje } : { motivo: escritura.motivo };
        log.warn('evento que no cabe en el historial de la reserva: al dead-letter', { type: evento.tipo, version: evento.version, ...detalle });
        resultados[i] = 'DROP';
      } else {
        this.empujar(evento, escritura.tipo, log);
        resultados[i] = 'SUCCESS';
      }
    });
    return resultados;
  }

  private empujar(evento: EventoUi, registro: 'nuevo' | 'repetido', log: Logger): void {
    if (this.empujados.has(evento.id_mensaje)) {
      log.debug('mensaje repetido: ya enviado a los navegadores', { type: evento.tipo });
      return;
    }
    this.empujados.add(evento.id_mensaje);
    const entregados = this.difusor.publicar(evento);
    log.info('evento enviado a los navegadores', { type: evento.tipo, estado: evento.estado, registro, navegadores: entregados });
  }
}
