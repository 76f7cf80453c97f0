import { EventoDominio } from './eventos';
import { ReglaNegocio, validarRegla } from './reglas';

/** An entity: identity that never changes (no setter; assigning `id` throws in strict mode). */
export abstract class Entidad<TId extends string = string> {
  readonly #id: TId;

  protected constructor(id: TId) {
    if (typeof id !== 'string' || id.length === 0) throw new Error('una entidad necesita un id');
    this.#id = id;
  }

  get id(): TId {
    return this.#id;
  }

  /** Entities are equal when they are of the same kind and have the same id. */
  igual(otra: Entidad<TId> | undefined | null): boolean {
    return !!otra && otra.constructor === this.constructor && otra.id === this.id;
  }

  protected validarRegla(regla: ReglaNegocio): void {
    validarRegla(regla);
  }
}

/**
 * Aggregate root: records domain events and carries the version used for optimistic concurrency.
 * Version 0 means "never persisted"; the unit of work sets the new version after a successful write.
 */
export abstract class AgregacionRaiz<TId extends string = string> extends Entidad<TId> {
  #version: number;
  #eventos: EventoDominio[] = [];

  protected constructor(id: TId, version = 0) {
    super(id);
    if (!Number.isInteger(version) || version < 0) throw new Error(`versión inválida: ${version}`);
    this.#version = version;
  }

  get version(): number {
    return this.#version;
  }

  get esNuevo(): boolean {
    return this.#version === 0;
  }

  /** Events recorded and not yet taken by a unit of work. */
  get eventos(): readonly EventoDominio[] {
    return [...this.#eventos];
  }

  protected agregarEvento(evento: EventoDominio): void {
    this.#eventos.push(evento);
  }

  /** Takes (and clears) the pending events: called by the unit of work on registration. */
  extraerEventos(): EventoDominio[] {
    const eventos = this.#eventos;
    this.#eventos = [];
    return eventos;
  }

  /** Called by the unit of work once the write of `version` succeeded. */
  marcarPersistido(version: number): void {
    if (!Number.isInteger(version) || version <= this.#version) {
      throw new Error(`la versión persistida ${version} debe ser mayor que ${this.#version}`);
    }
    this.#version = version;
  }
}
