/**
 * Reservas exactly as the aeroalpes service stores them, for the query phase's bulk load and the
 * latency probe, built by the service's own code rather than a copy of its shapes: the request
 * factory and mapper of CrearReserva (domain rules checked), then the write-model repository and
 * the read-model adapter, each writing into a collection stand-in that keeps what it was given.
 * The write-model document is the one CrearReserva inserts, with its outbox already published
 * (empty, as the relay leaves it); the read-model document is the one the projection upserts.
 */
import type { Collection, Document } from 'mongodb';
import type { SolicitudReservaDTO } from '@aeroalpes/aeroalpes/dist/modulos/vuelos/aplicacion/dto';
import { MapeadorSolicitudReserva, reservaADto } from '@aeroalpes/aeroalpes/dist/modulos/vuelos/aplicacion/mapeadores';
import { FabricaVuelos } from '@aeroalpes/aeroalpes/dist/modulos/vuelos/dominio/fabricas';
import { RepositorioReservasMongo } from '@aeroalpes/aeroalpes/dist/modulos/vuelos/infraestructura/repositorio-mongo';
import { VistaReservasMongo } from '@aeroalpes/aeroalpes/dist/modulos/vuelos/infraestructura/vista-mongo';
import { truncarASegundos } from '@aeroalpes/aeroalpes/dist/seedwork/aplicacion/fechas';

export type Documento = { _id: string } & Record<string, unknown>;

export interface DocumentosReserva {
  /** Write model (`reservas`). */
  escritura: Documento;
  /** Read model (`reservas_vista`). */
  vista: Documento;
}

/**
 * Only the writes the two adapters make when a reserva is new: `insertOne`/`insertMany` (the
 * repository's and the view's group commit), `replaceOne` with upsert (a view's other versions).
 * Each document is kept under its _id.
 */
function coleccionQueGuarda<T extends Document>(nombre: string, guardados: Map<string, Documento>): Collection<T> {
  const guardar = (doc: Documento) => guardados.set(doc._id, doc);
  const coleccion = {
    collectionName: nombre,
    insertOne: (doc: Documento) => {
      guardar(doc);
      return Promise.resolve({ acknowledged: true, insertedId: doc._id });
    },
    insertMany: (docs: Documento[]) => {
      docs.forEach(guardar);
      return Promise.resolve({ acknowledged: true, insertedCount: docs.length, insertedIds: Object.fromEntries(docs.map((d, i) => [i, d._id])) });
    },
    replaceOne: (_filtro: unknown, doc: Documento) => {
      guardar(doc);
      return Promise.resolve({ acknowledged: true, matchedCount: 0, modifiedCount: 0, upsertedCount: 1, upsertedId: doc._id });
    },
  };
  return coleccion as unknown as Collection<T>;
}

const fabrica = new FabricaVuelos();

/** Builds the documents of new reservas from one request (`examples/reserva.json`), created at `ahora`. */
export class FabricaDocumentos {
  private readonly escritos = new Map<string, Documento>();
  private readonly vistos = new Map<string, Documento>();
  private readonly repositorio = new RepositorioReservasMongo(coleccionQueGuarda('reservas', this.escritos));
  private readonly vista = new VistaReservasMongo(coleccionQueGuarda('reservas_vista', this.vistos));

  constructor(private readonly solicitud: SolicitudReservaDTO) {}

  /** One reserva per id (concurrently: the adapters group their writes as under load). */
  async crear(ids: string[], ahora: Date = new Date()): Promise<DocumentosReserva[]> {
    await Promise.all(ids.map((id) => this.uno(id, truncarASegundos(ahora))));
    return ids.map((id) => {
      const escritura = this.escritos.get(id);
      const vista = this.vistos.get(id);
      this.escritos.delete(id);
      this.vistos.delete(id);
      if (!escritura || !vista) throw new Error(`the service adapters wrote no document for reserva ${id}`);
      return { escritura, vista };
    });
  }

  /** What CrearReserva's unit of work does for a new aggregate (insert at version 1; no message pending here), then the projection. */
  private async uno(id: string, ahora: Date): Promise<void> {
    const reserva = fabrica.crearObjeto(this.solicitud, new MapeadorSolicitudReserva({ id, ahora }));
    await this.repositorio.guardar({ documento: this.repositorio.aDocumento(reserva), versionEsperada: 0, versionNueva: 1, mensajes: [] });
    reserva.marcarPersistido(1);
    await this.vista.guardarSiMasNueva(reservaADto(reserva));
  }
}
