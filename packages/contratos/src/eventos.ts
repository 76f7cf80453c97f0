import type { ItinerarioV1 } from './comandos';
import type { MetadatosMensaje } from './mensajes';

/** Integration event types on `eventos-reserva`; travels as the CloudEvent `type`. */
export const TIPOS_EVENTO_RESERVA = ['ReservaCreada', 'ReservaAprobada', 'ReservaCancelada', 'ReservaPagada', 'ReservaRechazada'] as const;
export type TipoEventoReserva = (typeof TIPOS_EVENTO_RESERVA)[number];

export function esTipoEventoReserva(valor: unknown): valor is TipoEventoReserva {
  return typeof valor === 'string' && (TIPOS_EVENTO_RESERVA as readonly string[]).includes(valor);
}

/** A passenger of a reserva (class and type, as the REST contract spells them). */
export interface PasajeroV1 {
  clase: string;
  tipo: string;
}

export interface ReservaCreadaPayload {
  id_reserva: string;
  /** "" = anonymous. */
  id_cliente: string;
  estado: string;
  /** Epoch millis. */
  fecha_creacion: number;
  /**
   * The three below were added to v1 with defaults (0, [], []): a producer that leaves them out
   * still writes a valid record. aeroalpes always sends them.
   * Epoch millis; equal to fecha_creacion.
   */
  fecha_actualizacion?: number;
  /** The whole new reserva travels with the event, so the read model is built without reading the write model. */
  itinerarios?: ItinerarioV1[];
  /** [] = none given. */
  pasajeros?: PasajeroV1[];
}

export interface ReservaActualizadaPayload {
  id_reserva: string;
  /** Epoch millis. */
  fecha_actualizacion: number;
}
export type ReservaAprobadaPayload = ReservaActualizadaPayload;
export type ReservaCanceladaPayload = ReservaActualizadaPayload;
export type ReservaPagadaPayload = ReservaActualizadaPayload;

/** A command CrearReserva that failed a business rule. */
export interface ReservaRechazadaPayload {
  id_reserva: string;
  motivo: string;
}

export interface PayloadsEventoReserva {
  ReservaCreada: ReservaCreadaPayload;
  ReservaAprobada: ReservaAprobadaPayload;
  ReservaCancelada: ReservaCanceladaPayload;
  ReservaPagada: ReservaPagadaPayload;
  ReservaRechazada: ReservaRechazadaPayload;
}

/**
 * The v1 record on `eventos-reserva` (Avro `aeroalpes.integracion.v1.EventoReservaPayload`): the
 * union of every event's fields plus the message attributes, all with defaults ("" / 0).
 */
export interface EventoReservaPayload extends MetadatosMensaje {
  /** Version of the reserva aggregate after the event (0 for ReservaRechazada). */
  version_agregado: number;
  id_reserva: string;
  id_cliente: string;
  estado: string;
  fecha_creacion: number;
  fecha_actualizacion: number;
  motivo: string;
  itinerarios: ItinerarioV1[];
  pasajeros: PasajeroV1[];
}

export const EVENTO_RESERVA_VACIO: Readonly<EventoReservaPayload> = Object.freeze({
  id_mensaje: '',
  id_correlacion: '',
  version_agregado: 0,
  time: 0,
  ingestion: 0,
  service_name: '',
  id_reserva: '',
  id_cliente: '',
  estado: '',
  fecha_creacion: 0,
  fecha_actualizacion: 0,
  motivo: '',
  itinerarios: [],
  pasajeros: [],
});

/** Message attributes of an event, plus the aggregate version. */
export type MetadatosEvento = Partial<MetadatosMensaje> & Pick<MetadatosMensaje, 'id_mensaje'> & { version_agregado?: number };

/** Builds the v1 record of an event from its typed payload; fields it does not use keep their defaults. */
export function crearEventoReserva<T extends TipoEventoReserva>(_tipo: T, payload: PayloadsEventoReserva[T], metadatos: MetadatosEvento): EventoReservaPayload {
  return { ...EVENTO_RESERVA_VACIO, ...metadatos, ...payload };
}

/** The typed payload of an event type, read from a v1 record. */
export function payloadDeEvento<T extends TipoEventoReserva>(tipo: T, registro: EventoReservaPayload): PayloadsEventoReserva[T] {
  const resultado: PayloadsEventoReserva[TipoEventoReserva] = (() => {
    switch (tipo) {
      case 'ReservaCreada':
        return {
          id_reserva: registro.id_reserva,
          id_cliente: registro.id_cliente,
          estado: registro.estado,
          fecha_creacion: registro.fecha_creacion,
          fecha_actualizacion: registro.fecha_actualizacion,
          itinerarios: registro.itinerarios,
          pasajeros: registro.pasajeros,
        };
      case 'ReservaAprobada':
      case 'ReservaCancelada':
      case 'ReservaPagada':
        return { id_reserva: registro.id_reserva, fecha_actualizacion: registro.fecha_actualizacion };
      case 'ReservaRechazada':
        return { id_reserva: registro.id_reserva, motivo: registro.motivo };
      default:
        throw new Error(`tipo de evento desconocido: ${String(tipo)}`);
    }
  })();
  return resultado as PayloadsEventoReserva[T];
}
