/**
 * DTOs of the vuelos module: the REST JSON shape of the contract (snake_case names, dates as UTC
 * strings `YYYY-MM-DDTHH:MM:SSZ`).
 */
import type { EstadoReserva } from '../dominio/estado-reserva';

export interface AeropuertoDTO {
  codigo: string;
  nombre: string;
}

export interface LegDTO {
  fecha_salida: string;
  fecha_llegada: string;
  origen: AeropuertoDTO;
  destino: AeropuertoDTO;
}

interface SegmentoDTO {
  legs: LegDTO[];
}

interface OdoDTO {
  segmentos: SegmentoDTO[];
}

export interface ItinerarioDTO {
  odos: OdoDTO[];
}

export interface PasajeroDTO {
  clase: string;
  tipo: string;
}

/** Body of POST /vuelos/reserva and /vuelos/reserva-comando. */
export interface SolicitudReservaDTO {
  id_cliente?: string;
  itinerarios: ItinerarioDTO[];
  pasajeros?: PasajeroDTO[];
}

/** The reserva document every endpoint returns. */
export interface ReservaDTO {
  id: string;
  id_cliente?: string;
  estado: EstadoReserva;
  fecha_creacion: string;
  fecha_actualizacion: string;
  /** Aggregate version: send it back to aprobar/cancelar/pagar to refuse lost updates. */
  version: number;
  itinerarios: ItinerarioDTO[];
  pasajeros?: PasajeroDTO[];
}
