import { SolicitudReservaDTO } from './dto';

/** The contract's example requests (docs/contracts.md section 1), for the tests (kept out of dist/: tsconfig exclude). */
export const SOLICITUD_MINIMA: SolicitudReservaDTO = {
  itinerarios: [
    {
      odos: [
        {
          segmentos: [
            {
              legs: [
                {
                  fecha_salida: '2022-11-22T13:10:00Z',
                  fecha_llegada: '2022-11-22T15:10:00Z',
                  origen: { codigo: 'BOG', nombre: 'El Dorado, Bogotá' },
                  destino: { codigo: 'JFK', nombre: 'John F. Kennedy International Airport' },
                },
              ],
            },
          ],
        },
      ],
    },
  ],
};

/** A two-leg segmento: BOG -> JFK, then JFK -> LAX. */
export const SOLICITUD_DOS_LEGS: SolicitudReservaDTO = {
  itinerarios: [
    {
      odos: [
        {
          segmentos: [
            {
              legs: [
                {
                  fecha_salida: '2022-11-22T13:10:00Z',
                  fecha_llegada: '2022-11-22T15:10:00Z',
                  origen: { codigo: 'BOG', nombre: 'El Dorado, Bogotá' },
                  destino: { codigo: 'JFK', nombre: 'John F. Kennedy International Airport' },
                },
                {
                  fecha_salida: '2022-11-22T17:00:00Z',
                  fecha_llegada: '2022-11-22T23:30:00Z',
                  origen: { codigo: 'JFK', nombre: 'John F. Kennedy International Airport' },
                  destino: { codigo: 'LAX', nombre: 'Los Angeles International Airport' },
                },
              ],
            },
          ],
        },
      ],
    },
  ],
};

/** A deep copy to modify in a test. */
export function copiaSolicitud(base: SolicitudReservaDTO = SOLICITUD_MINIMA): SolicitudReservaDTO {
  return structuredClone(base);
}
