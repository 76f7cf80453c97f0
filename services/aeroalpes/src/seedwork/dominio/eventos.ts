import { randomUUID } from 'node:crypto';

/**
 * A domain event: something that happened in the domain, recorded by an aggregate and dispatched
 * in-process by the unit of work. It is NOT an integration message: those are produced from domain
 * events in one place (a translator in infrastructure) and follow the versioned contracts.
 */
export abstract class EventoDominio {
  abstract readonly tipo: string;
  readonly id: string;
  readonly fechaEvento: Date;
  #idCorrelacion: string | undefined;

  protected constructor(fechaEvento: Date = new Date()) {
    this.id = randomUUID();
    this.fechaEvento = new Date(fechaEvento.getTime());
  }

  /** Correlation id of the request that caused the event (stamped once by the unit of work). */
  get idCorrelacion(): string | undefined {
    return this.#idCorrelacion;
  }

  correlacionar(idCorrelacion: string): void {
    if (this.#idCorrelacion !== undefined && this.#idCorrelacion !== idCorrelacion) {
      throw new Error(`el evento ${this.id} ya tiene id de correlación ${this.#idCorrelacion}`);
    }
    this.#idCorrelacion = idCorrelacion;
  }
}
