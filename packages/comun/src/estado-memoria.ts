import type { AlmacenEstado, Leido, OperacionEstado } from './estado';

/**
 * In-memory stand-in for the Dapr state store with the semantics the services rely on (unit
 * tests): ETags that change on every write, first-write (only if absent), all-or-nothing
 * transactions whose operations see the earlier ones of the same transaction (a second
 * first-write of one key in one transaction conflicts, as in daprd's SQL and MongoDB stores),
 * values copied in and out like JSON, keys without `||`. `fallar` makes the next calls throw,
 * like a sidecar that is down; `transacciones` and `lecturas` count the calls that reached it.
 */
export class AlmacenMemoria implements AlmacenEstado {
  readonly datos = new Map<string, { valor: string; etag: string }>();
  fallar = false;
  transacciones = 0;
  lecturas = 0;
  private version = 0;

  async leer<T>(clave: string): Promise<Leido<T>> {
    this.comprobar(clave);
    this.lecturas++;
    const item = this.datos.get(clave);
    return item ? { valor: JSON.parse(item.valor) as T, etag: item.etag } : { valor: undefined, etag: undefined };
  }

  async leerVarios<T>(claves: string[]): Promise<Map<string, T>> {
    this.comprobar(...claves);
    this.lecturas++;
    const salida = new Map<string, T>();
    for (const clave of claves) {
      const item = this.datos.get(clave);
      if (item) salida.set(clave, JSON.parse(item.valor) as T);
    }
    return salida;
  }

  async transaccion(operaciones: OperacionEstado[]): Promise<'ok' | 'conflicto'> {
    this.comprobar(...operaciones.map((op) => op.clave));
    this.transacciones++;
    // Checked and applied in order over the writes of this transaction; stored only if every check held.
    const escritos = new Map<string, { valor: string; etag: string } | undefined>();
    for (const op of operaciones) {
      const actual = escritos.has(op.clave) ? escritos.get(op.clave) : this.datos.get(op.clave);
      if (op.etag !== undefined && actual?.etag !== op.etag) return 'conflicto';
      if (op.tipo === 'upsert' && op.primeraEscritura && actual) return 'conflicto';
      escritos.set(op.clave, op.tipo === 'delete' ? undefined : { valor: JSON.stringify(op.valor), etag: String(++this.version) });
    }
    for (const [clave, item] of escritos) {
      if (item) this.datos.set(clave, item);
      else this.datos.delete(clave);
    }
    return 'ok';
  }

  private comprobar(...claves: string[]): void {
    if (this.fallar) throw new Error('state store no disponible (simulado)');
    // Like daprd: the app id prefix uses `||`, so a key may not contain it.
    const ilegal = claves.find((c) => c.includes('||'));
    if (ilegal !== undefined) throw new Error(`DAPR_STATE_ILLEGAL_KEY: input key/keyPrefix '${ilegal}' can't contain '||'`);
  }
}
