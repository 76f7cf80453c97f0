import { randomUUID } from 'node:crypto';
import { Collection, Db } from 'mongodb';
import { Arriendo, arriendoCedible, ArriendosRelay, SolicitudArriendo } from './arriendos';
import { coleccionVigilada, esClaveDuplicada } from './mongo';

interface DocumentoArriendo {
  _id: string;
  clave: string;
  duenio: string;
  vence: number;
}

/**
 * The relays' leases in MongoDB: one document per lease held, in a collection of their own, with a
 * unique index on the key. Never a conditional update: FerretDB 1.x on PostgreSQL runs an update
 * as a read, a filter evaluated in FerretDB and a write of the whole document by `_id`, so two
 * concurrent conditional updates of one document can both match. What is atomic on both servers
 * is the unique index: of concurrent inserts of one key, exactly one succeeds. Taking a lease:
 * - insert `{_id: a new id, clave, duenio, vence}`: taken (the usual case, one round trip);
 * - duplicate key: read the lease on the key; held by another owner and not expired: refused;
 *   otherwise delete THAT lease by its `_id` (one taken over meanwhile has another `_id` and
 *   stays) and insert again, where a duplicate means another owner was first: refused.
 * Giving it back deletes it by its `_id`. The aggregates' documents are never written here, so a
 * lease cannot interfere with the unit of work's writes.
 */
export class ArriendosMongo implements ArriendosRelay {
  private readonly coleccion: Collection<DocumentoArriendo>;

  constructor(coleccion: Collection<DocumentoArriendo>) {
    this.coleccion = coleccionVigilada(coleccion);
  }

  static enBase(db: Db, nombreColeccion: string): ArriendosMongo {
    return new ArriendosMongo(db.collection<DocumentoArriendo>(nombreColeccion));
  }

  /** The unique index the leases rest on (MongoDB and FerretDB enforce it on concurrent inserts). */
  async asegurarIndices(): Promise<void> {
    await this.coleccion.createIndex({ clave: 1 }, { name: 'clave', unique: true });
  }

  async tomar(clave: string, solicitud: SolicitudArriendo): Promise<Arriendo | null> {
    const tomado = await this.#insertar(clave, solicitud);
    if (tomado) return tomado;
    const actual = await this.coleccion.findOne({ clave });
    if (actual && !arriendoCedible(actual, solicitud)) return null;
    if (actual) await this.coleccion.deleteOne({ _id: actual._id });
    return this.#insertar(clave, solicitud);
  }

  async soltar(arriendo: Arriendo): Promise<void> {
    await this.coleccion.deleteOne({ _id: arriendo.id });
  }

  async #insertar(clave: string, { duenio, vence }: SolicitudArriendo): Promise<Arriendo | null> {
    const doc: DocumentoArriendo = { _id: randomUUID(), clave, duenio, vence };
    try {
      await this.coleccion.insertOne(doc);
    } catch (error) {
      if (esClaveDuplicada(error)) return null;
      throw error;
    }
    return { id: doc._id, clave, duenio, vence };
  }
}
