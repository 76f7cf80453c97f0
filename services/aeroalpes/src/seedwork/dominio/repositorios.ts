import { AgregacionRaiz } from './entidades';

/**
 * Repository port: loads aggregates. Writes are not here: the unit of work performs them (one
 * single-document write of the aggregate with its outbox, see seedwork/infraestructura/outbox.ts).
 */
export interface Repositorio<T extends AgregacionRaiz> {
  obtenerPorId(id: string): Promise<T | null>;
}
