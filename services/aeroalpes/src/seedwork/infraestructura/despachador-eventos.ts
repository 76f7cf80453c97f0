import type { ClaseEvento, ContextoEvento, ManejadorEventoDominio, SuscripcionEventosDominio } from '../aplicacion/unidad-de-trabajo';
import { EventoDominio } from '../dominio/eventos';

export type { ContextoEvento, ManejadorEventoDominio } from '../aplicacion/unidad-de-trabajo';

/**
 * In-process dispatch of domain events to the handlers of other modules (the seed used PyDispatcher
 * signals named after the event class; here handlers subscribe to the class itself).
 */
export class DespachadorEventosDominio implements SuscripcionEventosDominio {
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
