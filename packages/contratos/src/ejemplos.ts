import type { ComandoCrearReservaPayload } from './comandos';
import { crearEventoReserva, type EventoReservaPayload, type PayloadsEventoReserva, type TipoEventoReserva } from './eventos';

/**
 * Valid example messages of every v1 type (typed, so the compiler checks them against the
 * TypeScript contracts; the unit tests check them against the Avro schemas). Services use them in
 * their own tests. Dates are the contract's minimal example: BOG → JFK, 2022-11-22 13:10Z → 15:10Z.
 */
export const EJEMPLO_SALIDA = Date.UTC(2022, 10, 22, 13, 10, 0);
export const EJEMPLO_LLEGADA = Date.UTC(2022, 10, 22, 15, 10, 0);
export const EJEMPLO_ID_RESERVA = '6c1e3c9e-4f0b-4b8e-9b1a-2f7d1a0c5e11';
export const EJEMPLO_ID_CLIENTE = 'a2b5f7d4-0c3e-4e55-8f3c-7d9b6e1f2a33';

const EJEMPLO_ITINERARIOS = [
  {
    odos: [
      {
        segmentos: [
          {
            legs: [
              {
                fecha_salida: EJEMPLO_SALIDA,
                fecha_llegada: EJEMPLO_LLEGADA,
                origen: { codigo: 'BOG', nombre: 'El Dorado, Bogotá' },
                destino: { codigo: 'JFK', nombre: 'John F. Kennedy International Airport' },
              },
            ],
          },
        ],
      },
    ],
  },
];

/** A fresh copy each call (callers may change it). */
const itinerariosEjemplo = () => structuredClone(EJEMPLO_ITINERARIOS);

const PAYLOADS_EJEMPLO: PayloadsEventoReserva = {
  ReservaCreada: {
    id_reserva: EJEMPLO_ID_RESERVA,
    id_cliente: EJEMPLO_ID_CLIENTE,
    estado: 'Pendiente',
    fecha_creacion: EJEMPLO_SALIDA - 86_400_000,
    fecha_actualizacion: EJEMPLO_SALIDA - 86_400_000,
    itinerarios: EJEMPLO_ITINERARIOS,
    pasajeros: [{ clase: 'Economica', tipo: 'Adulto' }],
  },
  ReservaAprobada: { id_reserva: EJEMPLO_ID_RESERVA, fecha_actualizacion: EJEMPLO_SALIDA - 80_000_000 },
  ReservaCancelada: { id_reserva: EJEMPLO_ID_RESERVA, fecha_actualizacion: EJEMPLO_SALIDA - 70_000_000 },
  ReservaPagada: { id_reserva: EJEMPLO_ID_RESERVA, fecha_actualizacion: EJEMPLO_SALIDA - 60_000_000 },
  ReservaRechazada: { id_reserva: EJEMPLO_ID_RESERVA, motivo: 'MinimoUnItinerario: la reserva necesita al menos un itinerario' },
};

export function ejemploPayloadEvento<T extends TipoEventoReserva>(tipo: T): PayloadsEventoReserva[T] {
  return structuredClone(PAYLOADS_EJEMPLO[tipo]);
}

export function ejemploEventoReserva(tipo: TipoEventoReserva, cambios: Partial<EventoReservaPayload> = {}): EventoReservaPayload {
  const evento = crearEventoReserva(tipo, ejemploPayloadEvento(tipo), {
    id_mensaje: `msg-${tipo}-1`,
    id_correlacion: 'corr-1',
    version_agregado: tipo === 'ReservaRechazada' ? 0 : 1,
    time: EJEMPLO_SALIDA - 50_000_000,
    ingestion: EJEMPLO_SALIDA - 49_999_000,
    service_name: 'aeroalpes',
  });
  return { ...evento, ...cambios };
}

export function ejemploComandoCrearReserva(cambios: Partial<ComandoCrearReservaPayload> = {}): ComandoCrearReservaPayload {
  return {
    id_mensaje: 'msg-ComandoCrearReserva-1',
    id_correlacion: 'corr-1',
    time: EJEMPLO_SALIDA - 90_000_000,
    ingestion: EJEMPLO_SALIDA - 89_999_000,
    service_name: 'aeroalpes',
    id_reserva: EJEMPLO_ID_RESERVA,
    id_usuario: '',
    id_cliente: EJEMPLO_ID_CLIENTE,
    itinerarios: itinerariosEjemplo(),
    pasajeros: [{ clase: 'Economica', tipo: 'Adulto' }],
    ...cambios,
  };
}
