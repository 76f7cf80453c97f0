import { Collection, Db, WithoutId } from 'mongodb';
import { esClaveDuplicada } from '../../../seedwork/infraestructura/mongo';
import { ReservaDTO } from '../aplicacion/dto';
import { FiltroReservas, VistaReservas } from '../aplicacion/puertos';

type DocumentoVista = ReservaDTO & { _id: string };

/**
 * Read model of reservas (collection `reservas_vista`): the full document GET returns, plus its
 * version. Writes are idempotent and version-ordered: replace only when the stored version is
 * lower; when the upsert collides on _id (a newer or equal version is already there) it is done.
 */
export class VistaReservasMongo implements VistaReservas {
  constructor(private readonly coleccion: Collection<DocumentoVista>) {}

  static enBase(db: Db, nombreColeccion: string): VistaReservasMongo {
    return new VistaReservasMongo(db.collection<DocumentoVista>(nombreColeccion));
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
      this.coleccion.countDocuments(filtro),
    ]);
    return { elementos: docs.map(sinId), total };
  }

  async guardarSiMasNueva(reserva: ReservaDTO): Promise<boolean> {
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
}

function sinId(doc: DocumentoVista): ReservaDTO {
  const { _id: _ignorado, ...reserva } = doc;
  return reserva;
}
