/**
 * The gRPC API `vuelos.Vuelos` (docs/contracts.md section 2) over the command and query buses. The
 * composition root adds it to the @grpc/grpc-js server that also hosts Dapr's AppCallback:
 *
 *   const { servicio, implementacion } = crearServicioVuelos({ busComandos, busQueries, logger });
 *   server.addService(servicio, implementacion);
 *
 * CrearReserva: the gRPC Reserva becomes the REST request body and goes through the REST API's own
 * validator (api/esquemas.ts) and the CrearReserva command, so gRPC and REST accept and reject the
 * same inputs. The server assigns the id; the request's `id`, `fecha_creacion`,
 * `fecha_actualizacion` and `Itinerario.id` are output-only and ignored (a client built from the
 * old proto may fill them). Answer: `RespuestaReserva{mensaje: "OK", reserva}` with id and dates.
 * ConsultarReserva: the ObtenerReserva query (read model); when the read model has not caught up
 * with a reserva that exists, the write model's (what GET /vuelos/reserva/{id} answers), so a
 * client reads its own write at once; NOT_FOUND only for an id that does not exist.
 * Failures are gRPC statuses (estado-grpc.ts); no handler ever rejects unhandled. A request over
 * the REST body limit (`limiteMensajeBytes`) is not decoded: RESOURCE_EXHAUSTED, so gRPC takes no
 * larger input than REST (the server's own limit is for Dapr's deliveries: servidor-grpc.ts).
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { BusComandos } from '../../seedwork/aplicacion/comandos';
import { BusQueries } from '../../seedwork/aplicacion/queries';
import { Resultado } from '../../seedwork/aplicacion/resultado';
import { Logger, loggerSilencioso } from '@aeroalpes/comun';
import { CrearReserva } from '../../modulos/vuelos/crear-reserva/comando';
import { ReservaDTO, SolicitudReservaDTO } from '../../modulos/vuelos/aplicacion/dto';
import { ObtenerReserva } from '../../modulos/vuelos/aplicacion/queries/obtener-reserva';
import { ServicioReserva } from '../../modulos/vuelos/aplicacion/servicio-reserva';
import { esquemaParametrosId, esquemaSolicitudReserva } from '../esquemas';
import { Validador } from '../validacion';
import { LIMITE_CUERPO_BYTES_POR_DEFECTO } from '../../config';
import { definicionServicio, nombreCodigo, QueryReserva, Reserva, RespuestaReserva } from './contrato';
import { argumentoInvalido, estadoDeErrorAplicacion, estadoDeExcepcion, EstadoGrpc, mensajeDemasiadoGrande } from './estado-grpc';
import { camposSoloSalida, reservaAProto, reservaARest } from './traduccion';

export interface DependenciasServicioVuelos {
  busComandos: BusComandos;
  busQueries: BusQueries;
  /** The write model's read, for a reserva the read model does not have yet. */
  servicioReserva: ServicioReserva;
  logger?: Logger;
  /** Ids of new reservas (default: random UUIDs). */
  generarId?: () => string;
  /** Largest request, in bytes (default: the REST body limit's default; main.ts gives LIMITE_CUERPO_BYTES). */
  limiteMensajeBytes?: number;
}

export interface ServicioVuelos {
  servicio: grpc.ServiceDefinition;
  implementacion: grpc.UntypedServiceImplementation;
}

/** Same rule as the REST API's `x-correlation-id`. */
const PATRON_CORRELACION = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

const validadorSolicitud = new Validador<SolicitudReservaDTO>(esquemaSolicitudReserva);
const validadorId = new Validador<{ id: string }>(esquemaParametrosId);

type Salida<R> = { ok: true; valor: R } | { ok: false; estado: EstadoGrpc };

const rechazo = (estado: EstadoGrpc): Salida<never> => ({ ok: false, estado });

/** What a request over the limit deserializes to: its size, its bytes left undecoded. */
class PeticionDemasiadoGrande {
  constructor(readonly bytes: number) {}
}

/** The service definition whose requests over `limiteBytes` are not decoded (PeticionDemasiadoGrande). */
function conLimiteDePeticion(servicio: grpc.ServiceDefinition, limiteBytes: number): grpc.ServiceDefinition {
  return Object.fromEntries(
    Object.entries(servicio).map(([nombre, metodo]) => [
      nombre,
      { ...metodo, requestDeserialize: (bytes: Buffer): unknown => (bytes.length > limiteBytes ? new PeticionDemasiadoGrande(bytes.length) : metodo.requestDeserialize(bytes)) },
    ]),
  );
}

export function crearServicioVuelos(deps: DependenciasServicioVuelos): ServicioVuelos {
  const logger = deps.logger ?? loggerSilencioso;
  const generarId = deps.generarId ?? randomUUID;
  const limiteBytes = deps.limiteMensajeBytes ?? LIMITE_CUERPO_BYTES_POR_DEFECTO;
  const { busComandos, busQueries, servicioReserva } = deps;

  const respuesta = (resultado: Resultado<ReservaDTO>, idCorrelacion: string): Salida<RespuestaReserva> =>
    resultado.ok ? { ok: true, valor: { mensaje: 'OK', reserva: reservaAProto(resultado.valor) } } : rechazo(estadoDeErrorAplicacion(resultado.error, idCorrelacion));

  const crearReserva = async (reserva: Reserva, idCorrelacion: string): Promise<Salida<RespuestaReserva>> => {
    const ignorados = camposSoloSalida(reserva);
    if (ignorados.length > 0) logger.debug('grpc: campos de solo salida ignorados', { correlation_id: idCorrelacion, fields: ignorados });
    const v = validadorSolicitud.validar(reservaARest(reserva));
    if (!v.ok) return rechazo(argumentoInvalido(v.errores, idCorrelacion));
    return respuesta(await busComandos.ejecutar(new CrearReserva(idCorrelacion, generarId(), v.valor)), idCorrelacion);
  };

  const consultarReserva = async (query: QueryReserva, idCorrelacion: string): Promise<Salida<RespuestaReserva>> => {
    const v = validadorId.validar({ id: query.id });
    if (!v.ok) return rechazo(argumentoInvalido(v.errores, idCorrelacion));
    const id = v.valor.id.toLowerCase();
    const vista = await busQueries.ejecutar(new ObtenerReserva(idCorrelacion, id));
    if (vista.ok || vista.error.tipo !== 'NoEncontrado') return respuesta(vista, idCorrelacion);
    return respuesta(await servicioReserva.obtenerPorId(id), idCorrelacion);
  };

  /**
   * One unary handler: correlation id in (metadata `x-correlation-id`, else a new one) and out
   * (initial and trailing metadata), one log line per call, every failure answered as a status.
   */
  const unaria =
    <P, R>(metodo: string, manejar: (peticion: P, idCorrelacion: string) => Promise<Salida<R>>): grpc.handleUnaryCall<P, R> =>
    (call, callback) => {
      const inicio = performance.now();
      const recibido = call.metadata.get('x-correlation-id')[0];
      const idCorrelacion = typeof recibido === 'string' && PATRON_CORRELACION.test(recibido) ? recibido : randomUUID();
      const registrar = (codigo: grpc.status, detalle?: string) =>
        logger.info('grpc', {
          correlation_id: idCorrelacion,
          method: metodo,
          code: nombreCodigo(codigo),
          duration_ms: Math.round(performance.now() - inicio),
          ...(detalle !== undefined && codigo !== grpc.status.OK ? { detail: detalle } : {}),
        });

      const responder = (salida: Salida<R>) => {
        if (salida.ok) {
          const final = new grpc.Metadata();
          final.set('x-correlation-id', idCorrelacion);
          callback(null, salida.valor, final);
          registrar(grpc.status.OK);
        } else {
          callback(salida.estado);
          registrar(salida.estado.code, salida.estado.details);
        }
      };

      const fallar = (error: unknown) => {
        const e = estadoDeExcepcion(error, idCorrelacion);
        logger.error('grpc: error inesperado', { correlation_id: idCorrelacion, method: metodo, code: nombreCodigo(e.code), err: error });
        return { ok: false, estado: e } as const;
      };

      let promesa: Promise<Salida<R>>;
      try {
        const cabeceras = new grpc.Metadata();
        cabeceras.set('x-correlation-id', idCorrelacion);
        call.sendMetadata(cabeceras);
        const peticion: unknown = call.request;
        promesa =
          peticion instanceof PeticionDemasiadoGrande
            ? Promise.resolve(rechazo(mensajeDemasiadoGrande(peticion.bytes, limiteBytes, idCorrelacion)))
            : manejar(call.request, idCorrelacion);
      } catch (error) {
        promesa = Promise.resolve(fallar(error));
      }
      promesa
        .catch(fallar)
        .then(responder)
        .catch((error: unknown) => logger.error('grpc: no se pudo responder', { correlation_id: idCorrelacion, method: metodo, err: error }));
    };

  const implementacion: grpc.UntypedServiceImplementation = {
    CrearReserva: unaria<Reserva, RespuestaReserva>('CrearReserva', crearReserva),
    ConsultarReserva: unaria<QueryReserva, RespuestaReserva>('ConsultarReserva', consultarReserva),
  };
  return { servicio: conLimiteDePeticion(definicionServicio(), limiteBytes), implementacion };
}
