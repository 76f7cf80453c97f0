/** Small MongoDB helpers shared by the repositories (driver `mongodb`, works on FerretDB 1.x too). */

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
