/**
 * CrearReserva over REST: their entries in the route table (api/rutas.ts, which also feeds /spec)
 * and their handlers, which crearApp registers.
 * - POST /vuelos/reserva: synchronous, the command on the bus; 200 with the reserva.
 * - POST /vuelos/reserva-comando: asynchronous; the request is checked against the schema and the
 *   domain rules (400 before accepting what could never succeed), then sent (DespachadorComandos);
 *   202 with where the reserva will be read.
 */
import { errorValidacion, responderErrorAplicacion } from '../../../api/errores';
import { esquemaAceptado, esquemaReserva, esquemaSolicitudReserva } from '../../../api/esquemas';
import type { DefinicionRuta, IdOperacion, Manejador } from '../../../api/rutas';
import { Validador } from '../../../api/validacion';
import type { BusComandos } from '../../../seedwork/aplicacion/comandos';
import { SolicitudReservaDTO } from '../aplicacion/dto';
import { CrearReserva, DespachadorComandos, validarSolicitudReserva } from './comando';

type IdCrearReserva = Extract<IdOperacion, 'crearReserva' | 'crearReservaComando'>;

export const RUTAS_CREAR_RESERVA: readonly (DefinicionRuta & { id: IdCrearReserva })[] = [
  {
    id: 'crearReserva',
    metodo: 'post',
    ruta: '/vuelos/reserva',
    resumen: 'Crea una reserva (síncrono); emite ReservaCreada',
    etiqueta: 'vuelos',
    cuerpo: { esquema: esquemaSolicitudReserva, obligatorio: true },
    respuestas: { 200: { descripcion: 'La reserva creada (estado Pendiente)', esquema: esquemaReserva } },
  },
  {
    id: 'crearReservaComando',
    metodo: 'post',
    ruta: '/vuelos/reserva-comando',
    resumen: 'Acepta el comando CrearReserva (asíncrono, CQRS); la reserva se consulta en Location',
    etiqueta: 'vuelos',
    cuerpo: { esquema: esquemaSolicitudReserva, obligatorio: true },
    respuestas: {
      202: {
        descripcion: 'Comando aceptado',
        esquema: esquemaAceptado,
        cabeceras: { Location: '/vuelos/reserva-query/{id} de la reserva' },
      },
    },
  },
];

export interface DependenciasRestCrearReserva {
  busComandos: BusComandos;
  despachadorComandos: DespachadorComandos;
  /** Ids of new reservas. */
  generarId: () => string;
}

/** The REST request's rules (schema, sizes, formats), for both endpoints and for commands from the broker (broker.ts). */
export const validadorSolicitud = new Validador<SolicitudReservaDTO>(esquemaSolicitudReserva);

export function manejadoresCrearReserva({ busComandos, despachadorComandos, generarId }: DependenciasRestCrearReserva): Record<IdCrearReserva, Manejador> {
  return {
    crearReserva: async (req, res, idCorrelacion) => {
      const v = validadorSolicitud.validar(req.body);
      if (!v.ok) return errorValidacion(res, v.errores);
      const resultado = await busComandos.ejecutar(new CrearReserva(idCorrelacion, generarId(), v.valor));
      if (!resultado.ok) return responderErrorAplicacion(res, resultado.error);
      res.status(200).json(resultado.valor);
    },

    crearReservaComando: async (req, res, idCorrelacion) => {
      const v = validadorSolicitud.validar(req.body);
      if (!v.ok) return errorValidacion(res, v.errores);
      const reglas = validarSolicitudReserva(v.valor);
      if (!reglas.ok) return responderErrorAplicacion(res, reglas.error);
      const id = generarId();
      await despachadorComandos.despachar(new CrearReserva(idCorrelacion, id, v.valor));
      const consulta = `/vuelos/reserva-query/${id}`;
      res.status(202).location(consulta).json({ id, mensaje: 'comando CrearReserva aceptado', consulta });
    },
  };
}
