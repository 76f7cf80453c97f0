import { Collection, Db } from 'mongodb';
import { AgregadoDuplicadoExcepcion, ConflictoVersionExcepcion } from '../../../seedwork/dominio/excepciones';
import { MensajeIntegracion } from '../../../seedwork/infraestructura/mensajes';
import { esClaveDuplicada } from '../../../seedwork/infraestructura/mongo';
import { EscrituraConOutbox, PendientesAgregado } from '../../../seedwork/infraestructura/outbox';
import { Reserva } from '../dominio/reserva';
import { AlmacenReservas } from '../aplicacion/puertos';
import { DocumentoReserva, DocumentoReservaConOutbox, MapeadorReservaDocumento } from './documentos';

/**
 * Write model of reservas in MongoDB. The aggregate and its pending integration messages live in
 * ONE document (`outbox` array field), so each commit is one single-document write:
 * - new aggregate: insertOne (duplicate _id => AgregadoDuplicadoExcepcion);
 * - existing: updateOne({_id, version: expected}, {$set: state + new version, $push: {outbox: {$each}}});
 *   matchedCount 0 => ConflictoVersionExcepcion.
 * Sent messages are removed with $pullAll of the exact stored message documents: FerretDB 1.x
 * implements $pull/$pullAll as whole-value equality (no query conditions), and an exact document
 * matches on both servers. No transactions, pipeline updates or change streams.
 */
export class RepositorioReservasMongo implements AlmacenReservas {
  readonly nombre: string;
  readonly #mapeador = new MapeadorReservaDocumento();

  constructor(private readonly coleccion: Collection<DocumentoReservaConOutbox>) {
    this.nombre = coleccion.collectionName;
  }

  static enBase(db: Db, nombreColeccion: string): RepositorioReservasMongo {
    return new RepositorioReservasMongo(db.collection<DocumentoReservaConOutbox>(nombreColeccion));
  }

  /** Index used by the relay to find pending messages. */
  async asegurarIndices(): Promise<void> {
    await this.coleccion.createIndex({ 'outbox.time': 1 }, { name: 'outbox_pendientes' });
  }

  async obtenerPorId(id: string): Promise<Reserva | null> {
    const doc = await this.coleccion.findOne({ _id: id }, { projection: { outbox: 0 } });
    return doc ? this.#mapeador.externoAEntidad(doc) : null;
  }

  aDocumento(reserva: Reserva): DocumentoReserva {
    return this.#mapeador.entidadAExterno(reserva);
  }

  async guardar(escritura: EscrituraConOutbox<unknown>): Promise<void> {
    const { documento, versionEsperada, versionNueva, mensajes } = escritura as EscrituraConOutbox<DocumentoReserva>;
    const { _id, ...estado } = documento;
    if (versionEsperada === 0) {
      try {
        await this.coleccion.insertOne({ _id, ...estado, version: versionNueva, outbox: mensajes });
      } catch (error) {
        if (esClaveDuplicada(error)) throw new AgregadoDuplicadoExcepcion(_id);
        throw error;
      }
      return;
    }
    const r = await this.coleccion.updateOne(
      { _id, version: versionEsperada },
      {
        $set: { ...estado, version: versionNueva },
        ...(mensajes.length > 0 ? { $push: { outbox: { $each: mensajes } } } : {}),
      },
    );
    if (r.matchedCount === 0) throw new ConflictoVersionExcepcion(_id, versionEsperada);
  }

  async marcarEnviados(idAgregado: string, mensajes: readonly MensajeIntegracion[]): Promise<void> {
    if (mensajes.length === 0) return;
    await this.coleccion.updateOne({ _id: idAgregado }, { $pullAll: { outbox: [...mensajes] } });
  }

  async pendientes({ hasta, limite }: { hasta: number; limite: number }): Promise<PendientesAgregado[]> {
    const docs = await this.coleccion
      .find({ 'outbox.time': { $lte: hasta } }, { projection: { outbox: 1 } })
      .sort({ _id: 1 })
      .limit(limite)
      .toArray();
    return docs.map((d) => ({ idAgregado: d._id, mensajes: d.outbox ?? [] }));
  }
}
