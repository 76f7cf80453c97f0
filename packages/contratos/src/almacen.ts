/**
 * The local store's promise to the repositories (tools/platform/src/postgres.ts, storeSetupSql):
 * on FerretDB, an update that would break the order of a document's versions fails with an error
 * whose message carries this text; the repositories read it as a version conflict. On MongoDB no
 * such error exists (its updates are atomic).
 */
export const CONFLICTO_DE_VERSION = 'aeroalpes: version conflict';

/** True when the store refused an update because another writer changed the document first. */
export function esConflictoDeVersion(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string' &&
    (error as { message: string }).message.includes(CONFLICTO_DE_VERSION)
  );
}
