import { AnyBulkWriteOperation, Collection, Db, type OptionalUnlessRequiredId } from 'mongodb';
import { AgregadoDuplicadoExcepcion, ConflictoVersionExcepcion } from '../../../seedwork/dominio/excepciones';
import { EscrituraPorLotes, LOTE_POR_DEFECTO, OpcionesLote, ResultadoItem } from '../../../seedwork/infraestructura/lotes';
import { MensajeIntegracion } from '../../../seedwork/infraestructura/mensajes';
import { coleccionVigilada, erroresPorItem, esClaveDuplicada, insertarPorItem } from '../../../seedwork/infraestructura/mongo';
import { AlmacenConOutbox, EscrituraConOutbox, OpcionesMarcado, PendientesAgregado } from '../../../seedwork/infraestructura/outbox';
import { Logger, loggerSilencioso } from '@aeroalpes/comun';
import { esConflictoDeVersion } from '@aeroalpes/contratos';
import { Reserva } from '../dominio/reserva';
import { AlmacenReservas } from '../aplicacion/puertos';
import { DocumentoReserva, DocumentoReservaConOutbox, MapeadorReservaDocumento } from './documentos';

interface Marcado {
  idAgregado: string;
  mensajes: readonly MensajeIntegracion[];
  version: number | undefined;
}

/**
 * Outbox removals per bulkWrite at most. FerretDB 1.24 runs a multi-update command holding
 * PostgreSQL connections for its statements as it goes: two replicas' relays each sending a
 * bulkWrite of 200 removals under a backlog took its whole pool (50), each command waiting for one
 * more, and the store stopped answering for good (6 of 7 such benchmark runs). Ten per command,
 * two commands at once per replica, stays under the pool for up to two replicas; inserts
 * (insertMany: one statement per chunk) keep LOTE_MAXIMO.
 */
const MAXIMO_QUITAS_POR_LOTE = 10;

/**
 * Write model of reservas in MongoDB. The aggregate and its pending integration messages live in
 * ONE document (`outbox` array field), so each commit is one single-document write:
 * - new aggregate: insert (duplicate _id => AgregadoDuplicadoExcepcion);
 * - existing: updateOne({_id, version: expected}, {$set: state + new version, $push: {outbox: {$each}}});
 *   matchedCount 0 => ConflictoVersionExcepcion.
 * `outbox_pendiente: true` marks a document whose outbox may hold unpublished messages; the relay
 * looks only there (an indexed equality, cheap however many reservas are stored). It is cleared
 * only by a write conditional on the version whose whole outbox was published, so it never hides a
 * message; a flag left set costs the relay one look.
 *
 * Inserts of new reservas and the removal of sent messages are group-committed: the commits that
 * arrive together share one insertMany / one bulkWrite (unordered), and each still gets its own
 * outcome. Sent messages are removed with $pullAll of the exact stored message documents: FerretDB
 * 1.x implements $pull/$pullAll as whole-value equality. No transactions, pipeline updates or
 * change streams.
 */
export class RepositorioReservasMongo implements AlmacenReservas, AlmacenConOutbox<Reserva, unknown> {
  readonly nombre: string;
  readonly #mapeador = new MapeadorReservaDocumento();
  readonly #inserciones: EscrituraPorLotes<DocumentoReservaConOutbox, void>;
  readonly #marcados: EscrituraPorLotes<Marcado, void>;

  private readonly coleccion: Collection<DocumentoReservaConOutbox>;

  constructor(coleccion: Collection<DocumentoReservaConOutbox>, lotes?: OpcionesLote) {
    this.coleccion = coleccionVigilada(coleccion);
    this.nombre = coleccion.collectionName;
    this.#inserciones = new EscrituraPorLotes((docs) => this.#insertar(docs), lotes);
    this.#marcados = new EscrituraPorLotes((items) => this.#marcar(items), {
      ...(lotes ?? LOTE_POR_DEFECTO),
      maximo: Math.min((lotes ?? LOTE_POR_DEFECTO).maximo, MAXIMO_QUITAS_POR_LOTE),
    });
  }

  static enBase(db: Db, nombreColeccion: string, lotes?: OpcionesLote): RepositorioReservasMongo {
    return new RepositorioReservasMongo(db.collection<DocumentoReservaConOutbox>(nombreColeccion), lotes);
  }

  /** The relay's index (MongoDB; on FerretDB the GIN index of tools/platform serves the same look-up). */
  async asegurarIndices(): Promise<void> {
    await this.coleccion.createIndex({ outbox_pendiente: 1 }, { name: 'outbox_pendiente' });
  }

  /**
   * Once per database: documents written before `outbox_pendiente` existed get the flag where their
   * outbox is not empty (one scan, recorded in `migraciones`), and the old relay index goes. Replicas
   * that start together may all run it (each step is idempotent); FerretDB 1.x does not upsert
   * atomically, so the record of the one that lost the race to insert it is a duplicate key: done.
   */
  async migrarMarcaPendiente(db: Db, logger: Logger = loggerSilencioso): Promise<void> {
    const migraciones = db.collection<{ _id: string; fecha: Date }>('migraciones');
    const id = `${this.nombre}:outbox_pendiente`;
    if (await migraciones.findOne({ _id: id })) return;
    const r = await this.coleccion.updateMany({ 'outbox.0': { $exists: true }, outbox_pendiente: { $exists: false } }, { $set: { outbox_pendiente: true } });
    await this.coleccion.dropIndex('outbox_pendientes').catch(() => undefined);
    await migraciones.updateOne({ _id: id }, { $set: { fecha: new Date() } }, { upsert: true }).catch((error: unknown) => {
      if (!esClaveDuplicada(error)) throw error;
    });
    logger.info('migración: marca outbox_pendiente', { collection: this.nombre, updated: r.modifiedCount });
  }

  async obtenerPorId(id: string): Promise<Reserva | null> {
    const doc = await this.coleccion.findOne({ _id: id }, { projection: { outbox: 0, outbox_pendiente: 0 } });
    return doc ? this.#mapeador.externoAEntidad(doc) : null;
  }

  aDocumento(reserva: Reserva): DocumentoReserva {
    return this.#mapeador.entidadAExterno(reserva);
  }

  async guardar(escritura: EscrituraConOutbox<unknown>): Promise<void> {
    const { documento, versionEsperada, versionNueva, mensajes } = escritura as EscrituraConOutbox<DocumentoReserva>;
    const { _id, ...estado } = documento;
    if (versionEsperada === 0) {
      await this.#inserciones.encolar({ _id, ...estado, version: versionNueva, outbox: mensajes, outbox_pendiente: mensajes.length > 0 });
      return;
    }
    const r = await this.coleccion
      .updateOne(
        { _id, version: versionEsperada },
        {
          $set: { ...estado, version: versionNueva, ...(mensajes.length > 0 ? { outbox_pendiente: true } : {}) },
          ...(mensajes.length > 0 ? { $push: { outbox: { $each: mensajes } } } : {}),
        },
      )
      .catch((error: unknown) => {
        // FerretDB: another writer got there between its read and its write (the local store's trigger refused ours).
        if (esConflictoDeVersion(error)) throw new ConflictoVersionExcepcion(_id, versionEsperada);
        throw error;
      });
    if (r.matchedCount === 0) throw new ConflictoVersionExcepcion(_id, versionEsperada);
  }

  async marcarEnviados(idAgregado: string, mensajes: readonly MensajeIntegracion[], opciones: OpcionesMarcado = {}): Promise<void> {
    const version = opciones.outboxCompletoEnVersion;
    if (mensajes.length === 0 && version === undefined) return;
    await this.#marcados.encolar({ idAgregado, mensajes, version });
  }

  /**
   * Documents flagged pending, read in batches of the cursor until `limite` of them have a message
   * old enough: the cost follows the pending documents, not the collection. A flagged document
   * whose outbox is empty (its messages were removed without the version) is unflagged here.
   */
  async pendientes({ hasta, limite }: { hasta: number; limite: number }): Promise<PendientesAgregado[]> {
    const resultado: PendientesAgregado[] = [];
    const vacios: Marcado[] = [];
    const cursor = this.coleccion.find({ outbox_pendiente: true }, { projection: { outbox: 1, version: 1 }, batchSize: Math.max(limite, 100) });
    try {
      for await (const d of cursor) {
        const outbox = d.outbox ?? [];
        if (outbox.length === 0) vacios.push({ idAgregado: d._id, mensajes: [], version: d.version });
        else if (outbox.some((m) => m.time <= hasta)) resultado.push({ idAgregado: d._id, version: d.version, mensajes: outbox });
        if (resultado.length >= limite) break;
      }
    } finally {
      await cursor.close();
    }
    if (vacios.length > 0) await this.#marcar(vacios);
    return resultado.sort((a, b) => (a.idAgregado < b.idAgregado ? -1 : a.idAgregado > b.idAgregado ? 1 : 0));
  }

  /** One document's outbox as it is now (the relay reads it under its lease): null when nothing is pending. */
  async pendientesDe(idAgregado: string): Promise<PendientesAgregado | null> {
    const d = await this.coleccion.findOne({ _id: idAgregado, outbox_pendiente: true }, { projection: { outbox: 1, version: 1 } });
    const outbox = d?.outbox ?? [];
    return d && outbox.length > 0 ? { idAgregado, version: d.version, mensajes: outbox } : null;
  }

  async #insertar(docs: DocumentoReservaConOutbox[]): Promise<ResultadoItem<void>[]> {
    return (await insertarPorItem(this.coleccion, docs as OptionalUnlessRequiredId<DocumentoReservaConOutbox>[])).map((d, i): ResultadoItem<void> => {
      if (d === 'insertado') return { ok: true, valor: undefined };
      if (d === 'duplicado') return { ok: false, error: new AgregadoDuplicadoExcepcion(docs[i]!._id) };
      return { ok: false, error: new Error(`insert de la reserva ${docs[i]!._id}: ${d.error}`) };
    });
  }

  /** One unordered bulkWrite for every removal of the batch. */
  async #marcar(items: Marcado[]): Promise<ResultadoItem<void>[]> {
    const ops: AnyBulkWriteOperation<DocumentoReservaConOutbox>[] = items.map(({ idAgregado, mensajes, version }) => ({
      updateOne:
        version === undefined
          ? { filter: { _id: idAgregado }, update: { $pullAll: { outbox: [...mensajes] } } }
          : // Conditional on the version whose whole outbox these were (an outbox only shrinks
            // within a version): emptied without sending the messages back to be compared; a later
            // commit's messages keep the flag.
            { filter: { _id: idAgregado, version }, update: { $set: { outbox: [], outbox_pendiente: false } } },
    }));
    const conVersion = items.filter((i) => i.version !== undefined && i.mensajes.length > 0);
    let coincidieron: number;
    try {
      coincidieron = (await this.coleccion.bulkWrite(ops, { ordered: false })).matchedCount;
    } catch (error) {
      const porItem = erroresPorItem(error);
      if (!porItem) throw error;
      return items.map((it, i): ResultadoItem<void> => {
        const e = porItem.get(i);
        return e ? { ok: false, error: new Error(`outbox de la reserva ${it.idAgregado}: ${e.mensaje}`) } : { ok: true, valor: undefined };
      });
    }
    // A conditional removal that found a newer version removed nothing: remove those messages
    // unconditionally (the flag stays, for the later version's messages).
    if (coincidieron < ops.length && conVersion.length > 0) await this.#quitarSiQuedan(conVersion);
    return items.map(() => ({ ok: true, valor: undefined }));
  }

  /**
   * After a conditional removal, messages can only remain where the version moved on meanwhile
   * (rare: the aggregate was changed again within milliseconds, or it no longer exists). They are
   * removed without the condition; one indexed look-up of the flagged documents finds them.
   */
  async #quitarSiQuedan(items: Marcado[]): Promise<void> {
    const ids = new Set<string>();
    for (const it of items) for (const m of it.mensajes) ids.add(m.id);
    const quedan = await this.coleccion.find({ outbox_pendiente: true }, { projection: { outbox: 1 } }).toArray();
    const conRestos = new Set(quedan.filter((d) => (d.outbox ?? []).some((m) => ids.has(m.id))).map((d) => d._id));
    const ops = items
      .filter((it) => conRestos.has(it.idAgregado))
      .map(({ idAgregado, mensajes }) => ({ updateOne: { filter: { _id: idAgregado }, update: { $pullAll: { outbox: [...mensajes] } } } }));
    if (ops.length > 0) await this.coleccion.bulkWrite(ops, { ordered: false });
  }
}
