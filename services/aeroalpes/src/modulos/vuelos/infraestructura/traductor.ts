import { EventoDominio } from '../../../seedwork/dominio/eventos';
import { TraduccionEvento, TraductorEventos, ValorCarga } from '../../../seedwork/infraestructura/mensajes';
import { ReservaAprobada, ReservaCancelada, ReservaCreada, ReservaPagada } from '../dominio/eventos';
import { itinerariosADto, pasajerosADto } from '../aplicacion/mapeadores';
import { itinerariosAV1, pasajerosAV1 } from '@aeroalpes/contratos';

/**
 * THE place where domain events of the vuelos module become integration messages (contract v1,
 * topic `eventos-reserva`): ReservaCreada -> {id_reserva, id_cliente ('' when anonymous), estado,
 * fecha_creacion}; ReservaAprobada/Cancelada/Pagada -> {id_reserva, fecha_actualizacion}; dates as
 * epoch millis.
 */
export class TraductorEventosReserva implements TraductorEventos {
  constructor(private readonly topicEventos: string) {}

  traducir(evento: EventoDominio): TraduccionEvento | null {
    const topic = this.topicEventos;
    if (evento instanceof ReservaCreada) {
      return {
        topic,
        type: 'ReservaCreada',
        payload: {
          id_reserva: evento.idReserva,
          id_cliente: evento.idCliente ?? '',
          estado: evento.estado,
          fecha_creacion: evento.fechaCreacion.getTime(),
          fecha_actualizacion: evento.fechaCreacion.getTime(),
          itinerarios: itinerariosAV1(itinerariosADto(evento.itinerarios)) as unknown as ValorCarga,
          pasajeros: pasajerosAV1(pasajerosADto(evento.pasajeros)) as unknown as ValorCarga,
        },
      };
    }
    if (evento instanceof ReservaAprobada || evento instanceof ReservaCancelada || evento instanceof ReservaPagada) {
      return {
        topic,
        type: evento.tipo,
        payload: { id_reserva: evento.idReserva, fecha_actualizacion: evento.fechaActualizacion.getTime() },
      };
    }
    return null;
  }
}
