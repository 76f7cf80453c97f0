import type { ComandoCrearReservaPayload, ItinerarioV1, PasajeroV1, ReservaCreadaPayload } from '@aeroalpes/contratos';
import { formatearFechaUTC } from '../../../seedwork/aplicacion/fechas';
import { esEstadoReserva } from '../dominio/estado-reserva';
import { ItinerarioDTO, PasajeroDTO, ReservaDTO, SolicitudReservaDTO } from '../aplicacion/dto';

/**
 * The conversions between the REST shape (dates as `YYYY-MM-DDTHH:MM:SSZ`) and the v1 records of
 * the broker (dates as epoch millis), written once for the command and the events of the vuelos
 * module.
 */
const iso = (ms: number) => formatearFechaUTC(new Date(ms));

/** REST itinerarios -> v1 records. */
export function itinerariosAV1(itinerarios: readonly ItinerarioDTO[]): ItinerarioV1[] {
  return itinerarios.map((i) => ({
    odos: i.odos.map((o) => ({
      segmentos: o.segmentos.map((s) => ({
        legs: s.legs.map((l) => ({
          fecha_salida: Date.parse(l.fecha_salida),
          fecha_llegada: Date.parse(l.fecha_llegada),
          origen: { codigo: l.origen.codigo, nombre: l.origen.nombre },
          destino: { codigo: l.destino.codigo, nombre: l.destino.nombre },
        })),
      })),
    })),
  }));
}

/** v1 records -> REST itinerarios. */
export function itinerariosDeV1(itinerarios: readonly ItinerarioV1[]): ItinerarioDTO[] {
  return itinerarios.map((i) => ({
    odos: i.odos.map((o) => ({
      segmentos: o.segmentos.map((s) => ({
        legs: s.legs.map((l) => ({
          fecha_salida: iso(l.fecha_salida),
          fecha_llegada: iso(l.fecha_llegada),
          origen: { codigo: l.origen.codigo, nombre: l.origen.nombre },
          destino: { codigo: l.destino.codigo, nombre: l.destino.nombre },
        })),
      })),
    })),
  }));
}

/** REST pasajeros (absent = none) -> v1 ([] = none). */
export function pasajerosAV1(pasajeros: readonly PasajeroDTO[] | undefined): PasajeroV1[] {
  return (pasajeros ?? []).map((p) => ({ clase: p.clase, tipo: p.tipo }));
}

/** v1 pasajeros -> REST (a request that gives pasajeros gives at least one, so [] is "none given"). */
export function pasajerosDeV1(pasajeros: readonly PasajeroV1[]): PasajeroDTO[] | undefined {
  return pasajeros.length > 0 ? pasajeros.map((p) => ({ clase: p.clase, tipo: p.tipo })) : undefined;
}

/** v1 command record -> the request the CrearReserva command takes. */
export function solicitudDeComando(comando: ComandoCrearReservaPayload): SolicitudReservaDTO {
  return {
    ...(comando.id_cliente ? { id_cliente: comando.id_cliente } : {}),
    itinerarios: itinerariosDeV1(comando.itinerarios),
  };
}

/**
 * The read model's document of a new reserva, from its ReservaCreada event alone (no read of the
 * write model). Undefined when the event does not carry the reserva (a record written before
 * v1 had itinerarios: it reads with an empty list), so the caller falls back to the write model.
 */
export function reservaDeReservaCreada(evento: Partial<ReservaCreadaPayload>, version: number): ReservaDTO | undefined {
  const { id_reserva, id_cliente, estado, fecha_creacion, fecha_actualizacion, itinerarios, pasajeros } = evento;
  if (typeof id_reserva !== 'string' || !esEstadoReserva(estado) || typeof fecha_creacion !== 'number') return undefined;
  if (!Array.isArray(itinerarios) || itinerarios.length === 0 || version < 1) return undefined;
  const dto = pasajerosDeV1(pasajeros ?? []);
  return {
    id: id_reserva,
    ...(id_cliente ? { id_cliente } : {}),
    estado,
    fecha_creacion: iso(fecha_creacion),
    fecha_actualizacion: iso(fecha_actualizacion || fecha_creacion),
    version,
    itinerarios: itinerariosDeV1(itinerarios),
    ...(dto ? { pasajeros: dto } : {}),
  };
}
