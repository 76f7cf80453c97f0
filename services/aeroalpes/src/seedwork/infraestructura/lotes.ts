/**
 * Group commit for database writes: the writes that arrive while a batch is in flight are sent
 * together as the next batch (one round trip, one bulk command), without waiting for a timer. At
 * low load a write goes out alone at once; under load batches grow by themselves. Every write
 * still gets its own outcome (a duplicate id, a version conflict), so a batch never decides for
 * another item than its own.
 */
export type ResultadoItem<R> = { ok: true; valor: R } | { ok: false; error: unknown };

export interface OpcionesLote {
  /** Items per batch at most. */
  maximo: number;
  /** Batches in flight at once. */
  paralelos: number;
}

interface Pendiente<E, R> {
  entrada: E;
  resolver: (valor: R) => void;
  rechazar: (error: unknown) => void;
}

/** What a group commit does when nobody says otherwise (LOTE_MAXIMO, LOTE_PARALELOS in config.ts). */
export const LOTE_POR_DEFECTO: OpcionesLote = { maximo: 200, paralelos: 2 };

export class EscrituraPorLotes<E, R> {
  #cola: Pendiente<E, R>[] = [];
  #enCurso = 0;
  #programado = false;

  /**
   * `escribir` gets the entries of one batch and answers one result per entry, in order; if it
   * throws, every entry of that batch fails with that error.
   */
  constructor(
    private readonly escribir: (entradas: E[]) => Promise<ResultadoItem<R>[]>,
    private readonly opciones: OpcionesLote = LOTE_POR_DEFECTO,
  ) {}

  encolar(entrada: E): Promise<R> {
    return new Promise<R>((resolver, rechazar) => {
      this.#cola.push({ entrada, resolver, rechazar });
      this.#programar();
    });
  }

  /** Entries waiting for a batch (tests, metrics). */
  get enEspera(): number {
    return this.#cola.length;
  }

  #programar(): void {
    if (this.#programado || this.#enCurso >= this.opciones.paralelos || this.#cola.length === 0) return;
    // Next turn of the event loop: the writes of handlers that run in this turn join the batch.
    this.#programado = true;
    setImmediate(() => {
      this.#programado = false;
      while (this.#enCurso < this.opciones.paralelos && this.#cola.length > 0) {
        void this.#lote(this.#cola.splice(0, this.opciones.maximo));
      }
    });
  }

  async #lote(lote: Pendiente<E, R>[]): Promise<void> {
    this.#enCurso++;
    try {
      const resultados = await this.escribir(lote.map((p) => p.entrada));
      if (resultados.length !== lote.length) throw new Error(`escritura por lotes: ${resultados.length} resultados para ${lote.length} entradas`);
      resultados.forEach((r, i) => (r.ok ? lote[i]!.resolver(r.valor) : lote[i]!.rechazar(r.error)));
    } catch (error) {
      for (const p of lote) p.rechazar(error);
    } finally {
      this.#enCurso--;
      this.#programar();
    }
  }
}
