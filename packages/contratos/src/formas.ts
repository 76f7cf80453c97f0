import type { ComandoCrearReservaPayload } from './comandos';
import type { EventoReservaPayload } from './eventos';

/**
 * The Avro shape a TypeScript type must have: strings are `string`, numbers `long`, arrays and
 * nested records recurse. The constants below are typed with it, so the compiler checks that they
 * list exactly the fields of the TypeScript interfaces with the right kinds; the unit tests check
 * that the same constants equal the shape of the `.avsc` files. Together: TS types ≡ schemas.
 */
export type FormaAvro<T> = T extends string
  ? 'string'
  : T extends number
    ? 'long'
    : T extends ReadonlyArray<infer E>
      ? { array: FormaAvro<E> }
      : T extends object
        ? { record: { [K in keyof T]-?: FormaAvro<T[K]> } }
        : never;

export type Forma = 'string' | 'long' | { array: Forma } | { record: { [campo: string]: Forma } };

const LOCACION = { record: { codigo: 'string', nombre: 'string' } } as const;
const PASAJEROS = { array: { record: { clase: 'string', tipo: 'string' } } } as const;
const ITINERARIOS = {
  array: {
    record: {
      odos: {
        array: {
          record: {
            segmentos: {
              array: {
                record: {
                  legs: {
                    array: {
                      record: {
                        fecha_salida: 'long',
                        fecha_llegada: 'long',
                        origen: LOCACION,
                        destino: LOCACION,
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

export const FORMA_EVENTO_RESERVA: FormaAvro<EventoReservaPayload> = {
  record: {
    id_mensaje: 'string',
    id_correlacion: 'string',
    version_agregado: 'long',
    time: 'long',
    ingestion: 'long',
    service_name: 'string',
    id_reserva: 'string',
    id_cliente: 'string',
    estado: 'string',
    fecha_creacion: 'long',
    fecha_actualizacion: 'long',
    motivo: 'string',
    itinerarios: ITINERARIOS,
    pasajeros: PASAJEROS,
  },
};

export const FORMA_COMANDO_CREAR_RESERVA: FormaAvro<ComandoCrearReservaPayload> = {
  record: {
    id_mensaje: 'string',
    id_correlacion: 'string',
    time: 'long',
    ingestion: 'long',
    service_name: 'string',
    id_reserva: 'string',
    id_usuario: 'string',
    id_cliente: 'string',
    itinerarios: ITINERARIOS,
    pasajeros: PASAJEROS,
  },
};
