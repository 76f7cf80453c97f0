import type { AgregacionRaiz } from '../dominio/entidades';
import type { EventoDominio } from '../dominio/eventos';

/**
 * What the application layer sees of the unit of work (the adapter: seedwork/infraestructura/uow.ts):
 * register aggregates and batches, then commit once. Savepoints and rollback belong to the adapter's
 * own API; the handlers do not need them.
 */
export interface UnidadDeTrabajo {
  /** Persists `agregado` with the store that knows it, and dispatches its events after the commit. */
  registrarAgregado<T extends AgregacionRaiz>(agregado: T, almacen: AlmacenAgregados<T>): Promise<void>;
  /** An operation of another module that is written with the commit, and only if it goes ahead. */
  registrarBatch(descripcion: string, ejecutar: () => Promise<void>): void;
  commit(): Promise<unknown>;
}

export type FabricaUnidadDeTrabajo = (idCorrelacion: string) => UnidadDeTrabajo;

/**
 * A store the unit of work persists aggregates of type T with. Opaque to the application: the
 * adapter's store (seedwork/infraestructura/outbox.ts, AlmacenConOutbox) also carries its outbox.
 */
export interface AlmacenAgregados<T extends AgregacionRaiz> {
  aDocumento(agregado: T): unknown;
}

/** What an in-process handler of a domain event gets with it. */
export interface ContextoEvento {
  /** The unit of work the event's aggregate was registered in: handlers register their batches here. */
  uow: UnidadDeTrabajo;
  idCorrelacion: string;
}

export type ManejadorEventoDominio<E extends EventoDominio> = (evento: E, contexto: ContextoEvento) => void | Promise<void>;

export type ClaseEvento<E> = abstract new (...args: never[]) => E;

/** Where the handlers of other modules subscribe to domain events (the adapter: seedwork/infraestructura/despachador-eventos.ts). */
export interface SuscripcionEventosDominio {
  suscribir<E extends EventoDominio>(tipo: ClaseEvento<E>, manejador: ManejadorEventoDominio<E>): unknown;
}
