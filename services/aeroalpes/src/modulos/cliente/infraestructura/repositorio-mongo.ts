import { Collection, Db } from 'mongodb';
import { coleccionVigilada } from '../../../seedwork/infraestructura/mongo';
import { Cliente, RepositorioClientes } from '../dominio/cliente';

interface DocumentoCliente {
  _id: string;
  reservas: string[];
}

/** Customers in MongoDB (collection `clientes`): `$addToSet` with upsert, idempotent. */
export class RepositorioClientesMongo implements RepositorioClientes {
  private readonly coleccion: Collection<DocumentoCliente>;

  constructor(coleccion: Collection<DocumentoCliente>) {
    this.coleccion = coleccionVigilada(coleccion);
  }

  static enBase(db: Db, nombreColeccion: string): RepositorioClientesMongo {
    return new RepositorioClientesMongo(db.collection<DocumentoCliente>(nombreColeccion));
  }

  async agregarReserva(idCliente: string, idReserva: string): Promise<void> {
    await this.coleccion.updateOne({ _id: idCliente }, { $addToSet: { reservas: idReserva } }, { upsert: true });
  }

  async obtener(idCliente: string): Promise<Cliente | null> {
    const doc = await this.coleccion.findOne({ _id: idCliente });
    return doc ? { id: doc._id, reservas: doc.reservas ?? [] } : null;
  }
}
