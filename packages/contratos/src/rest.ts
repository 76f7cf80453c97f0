import type { ComandoCrearReservaPayload, ItinerarioV1 } from './comandos';
import type { PasajeroV1 } from './eventos';

/**
 * The REST shapes of a reserva's content (contract §1: snake_case, dates as UTC strings
 * `YYYY-MM-DDTHH:MM:SSZ`) and THE conversions between them and the v1 records of the broker (dates
 * as epoch millis). The command a REST create becomes, and the request a command becomes again,
 * are written here once, so both create endpoints store the same reserva.
 */
export interface AeropuertoRest {
  codigo: string;
  nombre: string;
}

export interface LegRest {
  fecha_salida: string;
  fecha_llegada: string;
  origen: AeropuertoRest;
  destino: AeropuertoRest;
}

export interface ItinerarioRest {
  odos: { segmentos: { legs: LegRest[] }[] }[];
}

export interface PasajeroRest {
  clase: string;
  tipo: string;
}

/** Body of POST /vuelos/reserva and /vuelos/reserva-comando. */
export interface SolicitudReservaRest {
  id_cliente?: string;
  itinerarios: ItinerarioRest[];
  pasajeros?: PasajeroRest[];
}

/** Epoch millis -> `YYYY-MM-DDTHH:MM:SSZ` (the contract's dates have whole seconds). */
export function fechaRest(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function itinerariosAV1(itinerarios: readonly ItinerarioRest[]): ItinerarioV1[] {
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

export function itinerariosDeV1(itinerarios: readonly ItinerarioV1[]): ItinerarioRest[] {
  return itinerarios.map((i) => ({
    odos: i.odos.map((o) => ({
      segmentos: o.segmentos.map((s) => ({
        legs: s.legs.map((l) => ({
          fecha_salida: fechaRest(l.fecha_salida),
          fecha_llegada: fechaRest(l.fecha_llegada),
          origen: { codigo: l.origen.codigo, nombre: l.origen.nombre },
          destino: { codigo: l.destino.codigo, nombre: l.destino.nombre },
        })),
      })),
    })),
  }));
}

/** REST pasajeros (absent = none) -> v1 ([] = none). */
export function pasajerosAV1(pasajeros: readonly PasajeroRest[] | undefined): PasajeroV1[] {
  return (pasajeros ?? []).map((p) => ({ clase: p.clase, tipo: p.tipo }));
}

/** v1 pasajeros -> REST: a request that gives pasajeros gives at least one, so [] is "none given". */
export function pasajerosDeV1(pasajeros: readonly PasajeroV1[] | undefined): PasajeroRest[] | undefined {
  return pasajeros && pasajeros.length > 0 ? pasajeros.map((p) => ({ clase: p.clase, tipo: p.tipo })) : undefined;
}

/** The content fields of the v1 command for a create request (the message attributes are the publisher's). */
export type ContenidoComandoCrearReserva = Pick<ComandoCrearReservaPayload, 'id_reserva' | 'id_usuario' | 'id_cliente' | 'itinerarios' | 'pasajeros'>;

/**
 * A create request accepted under `idReserva` -> the v1 command. `id_usuario`: the REST request
 * names no user, so it carries the customer, as the original system did.
 */
export function comandoDeSolicitud(idReserva: string, solicitud: SolicitudReservaRest): ContenidoComandoCrearReserva {
  return {
    id_reserva: idReserva,
    id_usuario: solicitud.id_cliente ?? '',
    id_cliente: solicitud.id_cliente ?? '',
    itinerarios: itinerariosAV1(solicitud.itinerarios),
    pasajeros: pasajerosAV1(solicitud.pasajeros),
  };
}

/** The v1 command -> the create request it was made from (every field the REST schema accepts). */
export function solicitudDeComando(comando: Pick<ComandoCrearReservaPayload, 'id_cliente' | 'itinerarios' | 'pasajeros'>): SolicitudReservaRest {
  const pasajeros = pasajerosDeV1(comando.pasajeros);
  return {
    ...(comando.id_cliente ? { id_cliente: comando.id_cliente } : {}),
    itinerarios: itinerariosDeV1(comando.itinerarios),
    ...(pasajeros ? { pasajeros } : {}),
  };
}
