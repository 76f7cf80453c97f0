import { EventoDominio } from '../dominio/eventos';
import type { UnidadDeTrabajo } from './uow';

export interface ContextoEvento {
  /** The unit of work the event's aggregate was registered in: handlers register their batches here. */
  uow: UnidadDeTrabajo;
  idCorrelacion: string;
}

export type ManejadorEventoDominio<E extends EventoDominio> = (evento: E, contexto: ContextoEvento) => void | Promise<void>;

type ClaseEvento<E> = abstract new (...args: never[]) => E;

/**
 * In-process dispatch of domain events to the handlers of other modules (the seed used PyDispatcher
 * signals named after the event class; here handlers subscribe to the class itself).
 */
export class DespachadorEventosDominio {
  readonly #suscripciones = new Map<object, ManejadorEventoDominio<EventoDominio>[]>();

  suscribir<E extends EventoDominio>(tipo: ClaseEvento<E>, manejador: ManejadorEventoDominio<E>): this {
    const lista = this.#suscripciones.get(tipo) ?? [];
    lista.push(manejador as ManejadorEventoDominio<EventoDominio>);
    this.#suscripciones.set(tipo, lista);
    return this;
  }

  async despachar(evento: EventoDominio, contexto: ContextoEvento): Promise<void> {
    for (const manejador of this.#suscripciones.get(evento.constructor) ?? []) {
      await manejador(evento, contexto);
    }
  }
}
