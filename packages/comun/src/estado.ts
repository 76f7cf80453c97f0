import { DaprClient, StateConcurrencyEnum } from '@dapr/dapr';

/**
 * The few state-store calls the services make, over the sidecar's HTTP API through the SDK, with
 * Dapr's errors turned into values: an ETag or first-write conflict is `conflicto`, everything
 * else throws (and the caller answers RETRY).
 */
export type OperacionEstado =
  | {
      tipo: 'upsert';
      clave: string;
      valor: unknown;
      etag?: string;
      primeraEscritura?: boolean;
      /** The store removes the key after this long (Dapr's ttlInSeconds). */ ttlSegundos?: number;
    }
  | { tipo: 'delete'; clave: string; etag?: string };

export interface Leido<T> {
  valor: T | undefined;
  etag: string | undefined;
}

/** The state-store port of the services: the Dapr state store (ClienteEstado), or AlmacenMemoria in unit tests. */
export interface AlmacenEstado {
  leer<T>(clave: string): Promise<Leido<T>>;
  leerVarios<T>(claves: string[]): Promise<Map<string, T>>;
  /** 'conflicto' when an ETag or first-write check failed (nothing was written). */
  transaccion(operaciones: OperacionEstado[]): Promise<'ok' | 'conflicto'>;
}

export class ErrorEstado extends Error {
  constructor(
    mensaje: string,
    readonly status: number | undefined,
  ) {
    super(mensaje);
  }
}

/** Status of a failed SDK call: the SDK reports it as a JSON message (HTTPClient.execute). */
function statusDe(error: unknown): number | undefined {
  const texto = error instanceof Error ? error.message : String(error);
  try {
    const parsed = JSON.parse(texto) as { status?: number };
    return typeof parsed.status === 'number' ? parsed.status : undefined;
  } catch {
    return undefined;
  }
}

export class ClienteEstado implements AlmacenEstado {
  constructor(
    private readonly client: DaprClient,
    private readonly store: string,
  ) {}

  async leer<T>(clave: string): Promise<Leido<T>> {
    const { data, etag } = await this.leerConEtag(clave);
    return { valor: data as T | undefined, etag };
  }

  private async leerConEtag(clave: string): Promise<{ data: unknown; etag: string | undefined }> {
    // The SDK's state.get drops the ETag, so read the single key through getBulk, which keeps it.
    const [item] = (await this.client.state.getBulk(this.store, [clave])) as { data?: unknown; etag?: string }[];
    const data = item?.data === '' ? undefined : item?.data;
    return { data, etag: item?.etag };
  }

  async leerVarios<T>(claves: string[]): Promise<Map<string, T>> {
    const resultado = new Map<string, T>();
    if (claves.length === 0) return resultado;
    const items = (await this.client.state.getBulk(this.store, claves)) as { key: string; data?: unknown }[];
    for (const item of items) if (item.data !== undefined && item.data !== '') resultado.set(item.key, item.data as T);
    return resultado;
  }

  /**
   * Runs the operations in one state transaction. Returns 'conflicto' when an ETag or a
   * first-write check failed (nothing was written), 'ok' otherwise.
   */
  async transaccion(operaciones: OperacionEstado[]): Promise<'ok' | 'conflicto'> {
    const ops = operaciones.map((op) => ({
      operation: op.tipo,
      request: {
        key: op.clave,
        ...(op.tipo === 'upsert' ? { value: op.valor } : {}),
        ...(op.etag ? { etag: op.etag } : {}),
        // The SDK maps its enum to Dapr's 'first-write'; a plain string is silently dropped.
        ...(op.tipo === 'upsert' && op.primeraEscritura ? { options: { concurrency: StateConcurrencyEnum.CONCURRENCY_FIRST_WRITE } } : {}),
        ...(op.tipo === 'upsert' && op.ttlSegundos ? { metadata: { ttlInSeconds: String(op.ttlSegundos) } } : {}),
      },
    }));
    try {
      await this.client.state.transaction(this.store, ops as never);
      return 'ok';
    } catch (error) {
      if (esConflicto(error)) return 'conflicto';
      throw new ErrorEstado(`state transaction on ${this.store} failed: ${(error as Error).message}`, statusDe(error));
    }
  }
}

/**
 * Whether a failed transaction was an ETag or first-write check (nothing written). Dapr answers
 * 409 for an ETag mismatch outside transactions; inside one it answers 500 "error while executing
 * state transaction: <the store's error>", and the stores word it differently: SQLite and MongoDB
 * "possible etag mismatch", PostgreSQL v2 "no item was updated" for a first-write on an existing
 * key (components-contrib 1.18 state/postgresql/v2 doSet: its upsert's WHERE refuses the row).
 */
function esConflicto(error: unknown): boolean {
  const texto = error instanceof Error ? error.message : String(error);
  return statusDe(error) === 409 || /etag|no item was updated/i.test(texto);
}
