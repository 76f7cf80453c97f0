import { Mapeador } from './mapeadores';

/**
 * A factory builds a domain object from an external representation through a mapper (the seed's
 * `Fabrica.crear_objeto(obj, mapeador)`), and checks the invariants the mapper cannot know.
 */
export interface Fabrica<T> {
  crearObjeto<TExterno>(obj: TExterno, mapeador: Mapeador<TExterno, T>): T;
}
