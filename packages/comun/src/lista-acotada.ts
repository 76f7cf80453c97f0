import type { AlmacenEstado } from './estado';

export interface OpcionesListaAcotada<T> {
  /** Elements kept; the oldest (by `orden`) go first. */
  maximo: number;
  /** An element's identity: a list never holds two with the same id. */
  id: (elemento: T) => string;
  /** Order of the list, oldest first; without it, arrival order. */
  orden?: (a: T, b: T) => number;
}

/** What adding did: 'nuevo' written, 'repetido' every element was there already, 'agotado' still conflicting after the retries. */
export type AgregadoLista = 'nuevo' | 'repetido' | 'agotado';

const INTENTOS = 10;

/**
 * A bounded list under one state-store key that several writers (replicas, concurrent deliveries)
 * append to: read it with its ETag, add what is not there yet, keep the newest `maximo`, write
 * with that ETag (first-write when the key is new), and on a conflict read it again after a
 * short random pause. Throws when the store fails (nothing is known then).
 */
export class ListaAcotada<T> {
  constructor(
    private readonly almacen: AlmacenEstado,
    private readonly clave: string,
    private readonly opciones: OpcionesListaAcotada<T>,
  ) {}

  async leer(): Promise<T[]> {
    const { valor } = await this.almacen.leer<T[]>(this.clave);
    return Array.isArray(valor) ? valor : [];
  }

  async agregar(elementos: readonly T[]): Promise<AgregadoLista> {
    for (let intento = 0; intento < INTENTOS; intento++) {
      const { valor, etag } = await this.almacen.leer<T[]>(this.clave);
      const lista = Array.isArray(valor) ? valor : [];
      const presentes = new Set(lista.map(this.opciones.id));
      if (elementos.every((e) => presentes.has(this.opciones.id(e)))) return 'repetido';
      const r = await this.almacen.transaccion([{ tipo: 'upsert', clave: this.clave, valor: this.unir(lista, elementos), ...(etag ? { etag } : { primeraEscritura: true }) }]);
      if (r === 'ok') return 'nuevo';
      // Another writer got in between: read it again.
      await new Promise((resolver) => setTimeout(resolver, Math.random() * 10 * (intento + 1)));
    }
    return 'agotado';
  }

  /** `a` then `b` without repeated ids (the first kept), in order, the newest `maximo`. */
  unir(a: readonly T[], b: readonly T[]): T[] {
    const porId = new Map<string, T>();
    for (const e of [...a, ...b]) if (!porId.has(this.opciones.id(e))) porId.set(this.opciones.id(e), e);
    const todos = [...porId.values()];
    if (this.opciones.orden) todos.sort(this.opciones.orden);
    return this.opciones.maximo > 0 ? todos.slice(-this.opciones.maximo) : []; // slice(-0) would keep them all
  }
}
