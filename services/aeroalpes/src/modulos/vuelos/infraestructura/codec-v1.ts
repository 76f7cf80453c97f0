import { fechaRest, itinerariosDeV1, pasajerosDeV1, type ReservaCreadaPayload } from '@aeroalpes/contratos';
import { esEstadoReserva } from '../dominio/estado-reserva';
import { ReservaDTO } from '../aplicacion/dto';

/**
 * The read model's document of a new reserva, from its ReservaCreada event alone (no read of the
 * write model), with the contract's conversions (packages/contratos/src/rest.ts). Undefined when
 * the event does not carry the reserva (a record written before v1 had itinerarios: it reads with
 * an empty list), so the caller falls back to the write model.
 */
export function reservaDeReservaCreada(evento: Partial<ReservaCreadaPayload>, version: number): ReservaDTO | undefined {
  const { id_reserva, id_cliente, estado, fecha_creacion, fecha_actualizacion, itinerarios, pasajeros } = evento;
  if (typeof id_reserva !== 'string' || !esEstadoReserva(estado) || typeof fecha_creacion !== 'number') return undefined;
  if (!Array.isArray(itinerarios) || itinerarios.length === 0 || version < 1) return undefined;
  const dto = pasajerosDeV1(pasajeros);
  return {
    id: id_reserva,
    ...(id_cliente ? { id_cliente } : {}),
    estado,
    fecha_creacion: fechaRest(fecha_creacion),
    fecha_actualizacion: fechaRest(fecha_actualizacion || fecha_creacion),
    version,
    itinerarios: itinerariosDeV1(itinerarios),
    ...(dto ? { pasajeros: dto } : {}),
  };
}
