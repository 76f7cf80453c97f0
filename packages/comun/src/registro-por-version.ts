import type { AlmacenEstado } from './estado';
import type { Campos } from './log';

/**
 * The highest aggregate version kept, and so the versions a history read asks for (0..VERSION_MAXIMA
 * in one bulk get). A reserva's whole lifecycle is at most 4 events (ReservaRechazada at version 0,
 * or Creada 1, Aprobada 2, Pagada or Cancelada 3); 16 leaves room for new transitions while keeping
 * the read small. An event beyond it is refused ('invalido'), never silently left out of a history.
 */
export const VERSION_MAXIMA = 16;

/** A record that remembers which message it came from. */
export interface ConIdMensaje {
  id_mensaje: string;
}

export interface EntradaVersion<T> {
  /** The aggregate (e.g. the reserva id). */
  id: string;
  version: number;
  valor: T;
}

/**
 * What writing one entry did:
 * - 'nuevo': written now (the caller does its side effect, once);
 * - 'repetido': that (aggregate, version) already holds this message id (a redelivery);
 * - 'conflicto': it holds another message id (`previo`): two events claim one version;
 * - 'invalido': version outside 0..VERSION_MAXIMA, or an id the state store cannot key;
 * - 'agotado': still undecided after repeated conflicts with concurrent writers (try again later).
 */
export type Escritura<T> = { tipo: 'nuevo' } | { tipo: 'repetido' } | { tipo: 'conflicto'; previo: T } | { tipo: 'invalido'; motivo: string } | { tipo: 'agotado' };

/** The log fields of a write that did not go through: the message id already there, or why. */
export function camposEscritura(escritura: Escritura<ConIdMensaje>): Campos {
  if (escritura.tipo === 'conflicto') return { previous_message_id: escritura.previo.id_mensaje };
  return escritura.tipo === 'invalido' ? { reason: escritura.motivo } : {};
}

const INTENTOS = 4;

/** The key of one record: `<prefijo>:<id>:<version>`. */
export const claveVersion = (prefijo: string, id: string, version: number) => `${prefijo}:${id}:${version}`;

/**
 * One record per (aggregate, version) under `<prefijo>:<id>:<version>`, written first-write: the
 * same key is both the deduplication of the message (a redelivery finds its own id there) and
 * the aggregate's history (read as one bulk get of versions 0..VERSION_MAXIMA, in version order).
 * Nothing grows without bound: an aggregate has at most VERSION_MAXIMA + 1 keys, each written
 * once, all of a batch in one state operation on the happy path.
 */
export class RegistroPorVersion<T extends ConIdMensaje> {
  constructor(
    private readonly almacen: AlmacenEstado,
    private readonly prefijo: string,
  ) {}

  clave(id: string, version: number): string {
    return claveVersion(this.prefijo, id, version);
  }

  /**
   * Writes the entries in one transaction of first-write upserts. When it conflicts (some key
   * exists already; the transaction wrote nothing), one bulk read tells each such entry whether
   * it is 'repetido' or 'conflicto', and the rest are written again in one transaction. Results
   * in the order of `entradas`; a later entry of a key already in the batch is compared with what
   * the first one left. Throws when the store fails (nothing is known then: the caller retries).
   */
  async registrar(entradas: readonly EntradaVersion<T>[]): Promise<Escritura<T>[]> {
    const resultados: (Escritura<T> | undefined)[] = entradas.map((e) => invalida(e));
    const primera = new Map<string, number>();
    entradas.forEach((e, i) => {
      const clave = this.clave(e.id, e.version);
      if (resultados[i] === undefined && !primera.has(clave)) primera.set(clave, i);
    });
    const guardado = new Map<string, T>();
    let pendientes = [...primera.entries()];
    for (let intento = 0; intento < INTENTOS && pendientes.length > 0; intento++) {
      const r = await this.almacen.transaccion(pendientes.map(([clave, i]) => ({ tipo: 'upsert', clave, valor: entradas[i]!.valor, primeraEscritura: true })));
      if (r === 'ok') {
        for (const [clave, i] of pendientes) {
          resultados[i] = { tipo: 'nuevo' };
          guardado.set(clave, entradas[i]!.valor);
        }
        break;
      }
      const existentes = await this.almacen.leerVarios<T>(pendientes.map(([clave]) => clave));
      pendientes = pendientes.filter(([clave, i]) => {
        const previo = existentes.get(clave);
        if (previo === undefined) return true; // not there: written again in the next transaction
        guardado.set(clave, previo);
        resultados[i] = comparar(entradas[i]!.valor, previo);
        return false;
      });
    }
    return entradas.map((e, i) => {
      const propio = resultados[i]; // invalid, or the first entry of its key once decided
      if (propio !== undefined) return propio;
      const previo = guardado.get(this.clave(e.id, e.version));
      return previo === undefined ? { tipo: 'agotado' } : comparar(e.valor, previo);
    });
  }

  /** The aggregate's records, oldest version first. */
  async leer(id: string): Promise<T[]> {
    return (await this.leerVarios([id])).get(id) ?? [];
  }

  /** The records of several aggregates in one bulk get, oldest version first; every id asked for is in the map. */
  async leerVarios(ids: readonly string[]): Promise<Map<string, T[]>> {
    const salida = new Map<string, T[]>(ids.map((id) => [id, []]));
    const validos = [...salida.keys()].filter(claveValida);
    if (validos.length === 0) return salida;
    const versiones = Array.from({ length: VERSION_MAXIMA + 1 }, (_, v) => v);
    const leidos = await this.almacen.leerVarios<T>(validos.flatMap((id) => versiones.map((v) => this.clave(id, v))));
    for (const id of validos) {
      salida.set(
        id,
        versiones.flatMap((v) => leidos.get(this.clave(id, v)) ?? []),
      );
    }
    return salida;
  }
}

function comparar<T extends ConIdMensaje>(valor: T, previo: T): Escritura<T> {
  return previo.id_mensaje === valor.id_mensaje ? { tipo: 'repetido' } : { tipo: 'conflicto', previo };
}

// Dapr prefixes keys with the app id and `||`, and refuses `||` inside a key (DAPR_STATE_ILLEGAL_KEY).
function claveValida(id: string): boolean {
  return id !== '' && !id.includes('||');
}

function invalida(e: EntradaVersion<unknown>): Escritura<never> | undefined {
  if (!Number.isInteger(e.version) || e.version < 0 || e.version > VERSION_MAXIMA) {
    return { tipo: 'invalido', motivo: `versión ${e.version} fuera de 0..${VERSION_MAXIMA}` };
  }
  if (!claveValida(e.id)) return { tipo: 'invalido', motivo: 'id vacío o con "||"' };
  return undefined;
}
