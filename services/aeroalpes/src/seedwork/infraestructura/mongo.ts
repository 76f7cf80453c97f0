/** Small MongoDB helpers shared by the repositories (driver `mongodb`, works on FerretDB 1.x too). */
import { AbstractCursor, Collection, Document, MongoBulkWriteError, type OptionalUnlessRequiredId } from 'mongodb';
import { DependenciaNoDisponible } from '../aplicacion/resultado';

/** Duplicate key (E11000), as MongoDB and FerretDB report it. */
export function esClaveDuplicada(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === 11000;
}

/**
 * Guard for code that writes during tests: refuses a database whose name does not say it is a
 * test database (must end in `_test`).
 */
export function exigirBaseDePruebas(nombre: string): string {
  if (!/^[A-Za-z0-9_-]+_test$/.test(nombre)) {
    throw new Error(`la base de datos '${nombre}' no es de pruebas (su nombre debe terminar en _test): me niego a escribir en ella`);
  }
  return nombre;
}

/** One write error of an unordered bulk operation: the index of the item in the batch, and why. */
export interface ErrorDeItem {
  code: number | undefined;
  mensaje: string;
}

/** The write errors a bulk error carries, one per failed item (none: it is not a per-item answer). */
function erroresDeEscritura(error: MongoBulkWriteError) {
  const lista = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  return lista.filter((e) => e !== undefined && e !== null);
}

/**
 * The per-item errors of a failed unordered bulk operation (insertMany / bulkWrite with
 * `ordered: false`): every item without an entry was written. Undefined when the batch got no
 * per-item answer: the error is not a bulk write error, or it is one the driver made of a
 * command-level failure (the connection dropped, the server failed the whole command: the driver
 * wraps those in a MongoBulkWriteError with NO write errors, which must not read as "all
 * written": which items the server applied is unknown, so the whole batch failed and is retried).
 */
export function erroresPorItem(error: unknown): Map<number, ErrorDeItem> | undefined {
  if (!(error instanceof MongoBulkWriteError)) return undefined;
  const lista = erroresDeEscritura(error);
  if (lista.length === 0) return undefined;
  return new Map(lista.map((e) => [e.index, { code: typeof e.code === 'number' ? e.code : undefined, mensaje: e.errmsg ?? String(e) }]));
}

/** What one document of a group-committed insert came to. */
export type DesenlaceInsercion = 'insertado' | 'duplicado' | { error: string };

/**
 * THE unordered insertMany of a group commit with one outcome per document, in order: written,
 * refused as a duplicate `_id` (E11000), or another per-item error. A batch without a per-item
 * answer (see erroresPorItem) throws: nothing of it is known to be written.
 */
export async function insertarPorItem<T extends Document>(coleccion: Collection<T>, docs: OptionalUnlessRequiredId<T>[]): Promise<DesenlaceInsercion[]> {
  try {
    await coleccion.insertMany(docs, { ordered: false });
    return docs.map(() => 'insertado');
  } catch (error) {
    const porItem = erroresPorItem(error);
    if (!porItem) throw error;
    return docs.map((_, i) => {
      const e = porItem.get(i);
      if (!e) return 'insertado';
      return e.code === 11000 ? 'duplicado' : { error: e.mensaje };
    });
  }
}

/**
 * FerretDB answers with an InternalError (code 1) when the PostgreSQL under it cannot be reached
 * or is restarting: for the application that is the database being down, like a dropped
 * connection to MongoDB.
 */
const POSTGRESQL_CAIDO = /failed to connect to|connection refused|SQLSTATE 57P0[1-3]|terminating connection|the database system is (starting up|shutting down|in recovery mode)/;

/** Driver errors that mean "MongoDB cannot be reached now" (by name: they also arrive as causes). */
const ERRORES_NO_DISPONIBLE = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoServerClosedError',
]);
const CODIGOS_RED = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * True when the error (or one of its causes) says MongoDB cannot be reached: a driver error of
 * that kind, a network error code, a bulk error the driver made of a network or server-selection
 * error (it copies that error's own fields, `beforeHandshake` or `reason`, and has no write
 * errors), or FerretDB's InternalError for a PostgreSQL that is down.
 */
export function esMongoInalcanzable(error: unknown): boolean {
  let actual: unknown = error;
  for (let i = 0; i < 5 && typeof actual === 'object' && actual !== null; i++) {
    const { name, code, cause, message } = actual as { name?: unknown; code?: unknown; cause?: unknown; message?: unknown };
    if (typeof name === 'string' && ERRORES_NO_DISPONIBLE.has(name)) return true;
    if (typeof code === 'string' && CODIGOS_RED.has(code)) return true;
    if (actual instanceof MongoBulkWriteError && erroresDeEscritura(actual).length === 0 && ('beforeHandshake' in actual || 'reason' in actual)) return true;
    if (code === 1 && typeof message === 'string' && POSTGRESQL_CAIDO.test(message)) return true;
    actual = cause;
  }
  return false;
}

/**
 * Longest a read may run in the database (`maxTimeMS` of every find, findOne, count and aggregate
 * through `coleccionVigilada`): a slow query ends as MaxTimeMSExpired (503) instead of holding a
 * connection and the request.
 */
export const TIEMPO_MAXIMO_CONSULTA_MS = 5000;

/** MongoDB's (and FerretDB's) MaxTimeMSExpired. */
const CODIGO_TIEMPO_AGOTADO = 50;

/** True when the server ended an operation because it ran past its `maxTimeMS`. */
export function esTiempoAgotado(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === CODIGO_TIEMPO_AGOTADO;
}

/** A driver error as the application sees it: DependenciaNoDisponible when MongoDB is unreachable or too slow, else itself. */
export function traducirErrorMongo(error: unknown): unknown {
  if (error instanceof DependenciaNoDisponible) return error;
  if (esTiempoAgotado(error)) {
    return new DependenciaNoDisponible(`servicio no disponible: la base de datos no respondió en ${TIEMPO_MAXIMO_CONSULTA_MS} ms; reintente más tarde`, { cause: error });
  }
  if (!esMongoInalcanzable(error)) return error;
  return new DependenciaNoDisponible('servicio no disponible: la base de datos no responde; reintente más tarde', { cause: error });
}

/** The reads of a collection and where their options go (argument index): each gets `maxTimeMS`. */
const LECTURAS: Readonly<Record<string, number>> = { find: 1, findOne: 1, countDocuments: 1, aggregate: 1, distinct: 2, estimatedDocumentCount: 0 };

function conTiempoMaximo(propiedad: string | symbol, argumentos: unknown[]): unknown[] {
  const indice = typeof propiedad === 'string' ? LECTURAS[propiedad] : undefined;
  if (indice === undefined) return argumentos;
  const copia = [...argumentos];
  copia[indice] = { maxTimeMS: TIEMPO_MAXIMO_CONSULTA_MS, ...(copia[indice] as object | undefined) };
  return copia;
}

/**
 * The collection as the adapters use it: every operation, and every cursor it opens, that fails
 * because MongoDB cannot be reached, or ran past its time, fails with DependenciaNoDisponible
 * instead (the driver's error is its `cause`); any other error (a duplicate key, a bulk write
 * error) passes through untouched. Every read (find, findOne, countDocuments, aggregate, ...) gets
 * `maxTimeMS: TIEMPO_MAXIMO_CONSULTA_MS` unless the caller gives its own. The one place where the
 * driver's errors are read for that: each Mongo adapter wraps its collection here, so the API
 * never needs to know the driver and no read can forget its time limit.
 */
export function coleccionVigilada<T extends Document>(coleccion: Collection<T>): Collection<T> {
  return vigilar(coleccion, true);
}

function vigilar<O extends object>(objeto: O, esColeccion = false): O {
  const proxy: O = new Proxy(objeto, {
    get(destino, propiedad) {
      const valor: unknown = Reflect.get(destino, propiedad, destino);
      if (typeof valor !== 'function') return valor;
      return (...argumentos: unknown[]) => {
        let resultado: unknown;
        try {
          resultado = (valor as (...a: unknown[]) => unknown).apply(destino, esColeccion ? conTiempoMaximo(propiedad, argumentos) : argumentos);
        } catch (error) {
          throw traducirErrorMongo(error);
        }
        if (resultado === destino) return proxy; // a cursor's fluent methods (sort, skip, limit)
        if (resultado instanceof Promise) {
          return resultado.catch((error: unknown) => {
            throw traducirErrorMongo(error);
          });
        }
        // A cursor, or the async iterator `for await` takes from one: its reads are watched too.
        if (resultado instanceof AbstractCursor || propiedad === Symbol.asyncIterator) return vigilar(resultado as object);
        return resultado;
      };
    },
  });
  return proxy;
}

/**
 * Runs `preparar` (connect, create indexes) until MongoDB answers: while it is unreachable, waits
 * and tries again with exponential backoff (from `inicialMs`, at most `maximoMs` between
 * attempts), logging each failure; any other error (bad credentials, a bad URI) fails at once.
 */
export async function esperarMongo<T>(
  preparar: () => Promise<T>,
  alFallar: (intento: number, esperaMs: number, error: unknown) => void,
  { inicialMs = 500, maximoMs = 10_000 }: { inicialMs?: number; maximoMs?: number } = {},
): Promise<T> {
  for (let intento = 1; ; intento++) {
    try {
      return await preparar();
    } catch (error) {
      if (!esMongoInalcanzable(error)) throw error;
      const esperaMs = Math.min(inicialMs * 2 ** (intento - 1), maximoMs);
      alFallar(intento, esperaMs, error);
      await new Promise((r) => setTimeout(r, esperaMs));
    }
  }
}
