import type { PasajeroV1 } from './eventos';
import type { MetadatosMensaje } from './mensajes';

/** Integration command types on `comandos-reserva`; travels as the CloudEvent `type`. */
export const TIPO_COMANDO_CREAR_RESERVA = 'ComandoCrearReserva';
export const TIPOS_COMANDO_RESERVA = [TIPO_COMANDO_CREAR_RESERVA] as const;
export type TipoComandoReserva = (typeof TIPOS_COMANDO_RESERVA)[number];

export function esTipoComandoReserva(valor: unknown): valor is TipoComandoReserva {
  return typeof valor === 'string' && (TIPOS_COMANDO_RESERVA as readonly string[]).includes(valor);
}

/** An airport: 3-letter IATA code and name. */
export interface LocacionV1 {
  codigo: string;
  nombre: string;
}

/** Times are epoch millis (UTC); the REST edge converts from/to `YYYY-MM-DDTHH:MM:SSZ`. */
export interface LegV1 {
  fecha_salida: number;
  fecha_llegada: number;
  origen: LocacionV1;
  destino: LocacionV1;
}

export interface SegmentoV1 {
  legs: LegV1[];
}

export interface OdoV1 {
  segmentos: SegmentoV1[];
}

export interface ItinerarioV1 {
  odos: OdoV1[];
}

/** The v1 record on `comandos-reserva` (Avro `aeroalpes.integracion.v1.ComandoCrearReservaPayload`). */
export interface ComandoCrearReservaPayload extends MetadatosMensaje {
  /** Assigned by the server when it accepted the command; creating is idempotent on it. */
  id_reserva: string;
  /** Who issued the command (contract v1 field); "" when unknown. */
  id_usuario: string;
  /** Customer the reserva is for; "" = anonymous. */
  id_cliente: string;
  itinerarios: ItinerarioV1[];
  /** Added to v1 with default []: "" none given. A producer that leaves it out writes a valid record. */
  pasajeros?: PasajeroV1[];
}
