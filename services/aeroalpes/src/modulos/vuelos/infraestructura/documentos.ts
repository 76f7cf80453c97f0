import { Mapeador } from '../../../seedwork/dominio/mapeadores';
import { MensajeIntegracion } from '../../../seedwork/infraestructura/mensajes';
import { EstadoReserva, esEstadoReserva } from '../dominio/estado-reserva';
import { Aeropuerto, Itinerario, Leg, Odo, Pasajero, Segmento } from '../dominio/objetos-valor';
import { Reserva } from '../dominio/reserva';

/** Write-model document of a reserva (MongoDB collection `reservas`): dates as BSON dates. */
interface DocumentoAeropuerto {
  codigo: string;
  nombre: string;
}

interface DocumentoLeg {
  fecha_salida: Date;
  fecha_llegada: Date;
  origen: DocumentoAeropuerto;
  destino: DocumentoAeropuerto;
}

interface DocumentoItinerario {
  odos: { segmentos: { legs: DocumentoLeg[] }[] }[];
}

export interface DocumentoReserva {
  _id: string;
  id_cliente: string | null;
  estado: EstadoReserva;
  fecha_creacion: Date;
  fecha_actualizacion: Date;
  itinerarios: DocumentoItinerario[];
  pasajeros: { clase: string; tipo: string }[] | null;
  version: number;
}

/** As stored: the aggregate plus its pending integration messages. */
export interface DocumentoReservaConOutbox extends DocumentoReserva {
  outbox: MensajeIntegracion[];
  /** The outbox may hold unpublished messages (what the relay looks up; see RepositorioReservasMongo). */
  outbox_pendiente?: boolean;
}

const aeropuerto = (a: Aeropuerto): DocumentoAeropuerto => ({ codigo: a.codigo, nombre: a.nombre });

/** Domain <-> document. Fresh objects both ways (a document is a snapshot, never shared with the aggregate). */
export class MapeadorReservaDocumento implements Mapeador<DocumentoReserva, Reserva> {
  entidadAExterno(reserva: Reserva): DocumentoReserva {
    return {
      _id: reserva.id,
      id_cliente: reserva.idCliente ?? null,
      estado: reserva.estado,
      fecha_creacion: reserva.fechaCreacion,
      fecha_actualizacion: reserva.fechaActualizacion,
      itinerarios: reserva.itinerarios.map((it) => ({
        odos: it.odos.map((odo) => ({
          segmentos: odo.segmentos.map((seg) => ({
            legs: seg.legs.map((leg) => ({
              fecha_salida: leg.fechaSalida,
              fecha_llegada: leg.fechaLlegada,
              origen: aeropuerto(leg.origen),
              destino: aeropuerto(leg.destino),
            })),
          })),
        })),
      })),
      pasajeros: reserva.pasajeros ? reserva.pasajeros.map((p) => ({ clase: p.clase, tipo: p.tipo })) : null,
      version: reserva.version,
    };
  }

  externoAEntidad(doc: DocumentoReserva): Reserva {
    if (!esEstadoReserva(doc.estado)) throw new Error(`documento de reserva ${doc._id} con estado desconocido: ${String(doc.estado)}`);
    return Reserva.reconstruir(
      doc._id,
      {
        idCliente: doc.id_cliente ?? undefined,
        estado: doc.estado,
        fechaCreacion: new Date(doc.fecha_creacion),
        fechaActualizacion: new Date(doc.fecha_actualizacion),
        itinerarios: doc.itinerarios.map((it) =>
          Itinerario.crear(
            it.odos.map((odo) =>
              Odo.crear(
                odo.segmentos.map((seg) =>
                  Segmento.crear(
                    seg.legs.map((leg) =>
                      Leg.crear({
                        fechaSalida: new Date(leg.fecha_salida),
                        fechaLlegada: new Date(leg.fecha_llegada),
                        origen: Aeropuerto.crear(leg.origen),
                        destino: Aeropuerto.crear(leg.destino),
                      }),
                    ),
                  ),
                ),
              ),
            ),
          ),
        ),
        pasajeros: doc.pasajeros ? doc.pasajeros.map((p) => Pasajero.crear(p)) : undefined,
      },
      doc.version,
    );
  }
}
