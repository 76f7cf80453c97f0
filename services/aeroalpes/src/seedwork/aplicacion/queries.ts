import { Logger } from '@aeroalpes/comun';
import { Bus, Manejador, Mensaje } from './bus';

/** A query: reads, never writes; handled by exactly one handler reading the read model. */
export abstract class Query<R> extends Mensaje<R> {}

export type ManejadorQuery<Q extends Query<unknown>> = Manejador<Q>;

export class BusQueries extends Bus<Query<unknown>> {
  constructor(logger?: Logger) {
    super('query', logger);
  }
}

export interface Pagina<T> {
  elementos: T[];
  pagina: number;
  tamano: number;
  total: number;
}
