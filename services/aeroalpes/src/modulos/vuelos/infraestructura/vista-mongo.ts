import { Collection, Db, WithoutId, type OptionalUnlessRequiredId } from 'mongodb';
import { EscrituraPorLotes, OpcionesLote, ResultadoItem } from '../../../seedwork/infraestructura/lotes';
import { coleccionVigilada, esClaveDuplicada, insertarPorItem } from '../../../seedwork/infraestructura/mongo';
import { ReservaDTO } from '../aplicacion/dto';
import { FiltroReservas, VistaReservas } from '../aplicacion/puertos';

type DocumentoVista = ReservaDTO & { _id: string };

/**
 * Read model of reservas (collection `reservas_vista`): the full document GET returns, plus its
 * version. Writes are idempotent and version-ordered: replace only when the stored version is
 * lower; when the upsert collides on _id (a newer or equal version is already there) it is done.
 * Version 1 (a new reserva, the bulk of the writes) is an insert, group-committed with the others
 * that arrive together (one insertMany); a duplicate id means version 1 or newer is there: done.
 */
export class VistaReservasMongo implements VistaReservas {
  readonly #nuevas: EscrituraPorLotes<DocumentoVista, boolean>;
  /** Totals of the list pages, per filter, counted at most once per `ttlTotalMs` (single flight). */
  readonly #totales = new Map<string, { hasta: number; total: Promise<number> }>();

  private readonly coleccion: Collection<DocumentoVista>;

  constructor(
    coleccion: Collection<DocumentoVista>,
    lotes?: OpcionesLote,
    private readonly ttlTotalMs = 5000,
  ) {
    this.coleccion = coleccionVigilada(coleccion);
    this.#nuevas = new EscrituraPorLotes((docs) => this.#insertar(docs), lotes);
  }

  static enBase(db: Db, nombreColeccion: string, lotes?: OpcionesLote, ttlTotalMs?: number): VistaReservasMongo {
    return new VistaReservasMongo(db.collection<DocumentoVista>(nombreColeccion), lotes, ttlTotalMs);
  }

  async asegurarIndices(): Promise<void> {
    await this.coleccion.createIndex({ estado: 1, fecha_creacion: -1, _id: -1 }, { name: 'estado_fecha' });
    await this.coleccion.createIndex({ fecha_creacion: -1, _id: -1 }, { name: 'fecha' });
  }

  async obtener(id: string): Promise<ReservaDTO | null> {
    const doc = await this.coleccion.findOne({ _id: id });
    return doc ? sinId(doc) : null;
  }

  async listar({ estados, pagina, tamano }: FiltroReservas): Promise<{ elementos: ReservaDTO[]; total: number }> {
    const filtro = estados ? { estado: { $in: [...estados] } } : {};
    const [docs, total] = await Promise.all([
      this.coleccion
        .find(filtro)
        .sort({ fecha_creacion: -1, _id: -1 })
        .skip((pagina - 1) * tamano)
        .limit(tamano)
        .toArray(),
      this.#total(filtro),
    ]);
    return { elementos: docs.map(sinId), total };
  }

  /**
   * Counting a collection costs as much as reading it (FerretDB decodes every document), so the
   * total of a filter is counted at most once per `ttlTotalMs`; pages in between reuse it (it can
   * lag behind the newest writes by that long). A failed count is not kept.
   */
  #total(filtro: object): Promise<number> {
    const clave = JSON.stringify(filtro);
    const ahora = Date.now();
    const previo = this.#totales.get(clave);
    if (previo && previo.hasta > ahora) return previo.total;
    const total = this.coleccion.countDocuments(filtro);
    this.#totales.set(clave, { hasta: ahora + this.ttlTotalMs, total });
    total.catch(() => this.#totales.delete(clave));
    return total;
  }

  async guardarSiMasNueva(reserva: ReservaDTO): Promise<boolean> {
    if (reserva.version === 1) return this.#nuevas.encolar({ _id: reserva.id, ...reserva });
    try {
      const r = await this.coleccion.replaceOne(
        { _id: reserva.id, version: { $lt: reserva.version } },
        // _id included on purpose: the upsert must create the document under the reserva's id.
        { _id: reserva.id, ...reserva } as WithoutId<DocumentoVista>,
        { upsert: true },
      );
      return r.modifiedCount + r.upsertedCount > 0;
    } catch (error) {
      if (esClaveDuplicada(error)) return false; // already at this version or newer
      throw error;
    }
  }

  async #insertar(docs: DocumentoVista[]): Promise<ResultadoItem<boolean>[]> {
    return (await insertarPorItem(this.coleccion, docs as OptionalUnlessRequiredId<DocumentoVista>[])).map((d, i): ResultadoItem<boolean> => {
      if (d === 'insertado') return { ok: true, valor: true };
      if (d === 'duplicado') return { ok: true, valor: false }; // version 1 or newer already there
      return { ok: false, error: new Error(`vista de la reserva ${docs[i]!._id}: ${d.error}`) };
    });
  }
}

function sinId(doc: DocumentoVista): ReservaDTO {
  const { _id: _ignorado, ...reserva } = doc;
  return reserva;
}
