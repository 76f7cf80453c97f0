/** Small MongoDB helpers shared by the repositories (driver `mongodb`, works on FerretDB 1.x too). */
import { MongoBulkWriteError } from 'mongodb';

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

/**
 * The per-item errors of a failed unordered bulk operation (insertMany / bulkWrite with
 * `ordered: false`): every item without an entry was written. Undefined when the error is not a
 * bulk write error (the whole batch failed: the connection, the server).
 */
export function erroresPorItem(error: unknown): Map<number, ErrorDeItem> | undefined {
  if (!(error instanceof MongoBulkWriteError)) return undefined;
  const lista = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  return new Map(lista.map((e) => [e.index, { code: typeof e.code === 'number' ? e.code : undefined, mensaje: e.errmsg ?? String(e) }]));
}
