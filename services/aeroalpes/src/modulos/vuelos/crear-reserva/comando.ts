/**
 * The CrearReserva use case, its application layer (held to the aplicacion rules of
 * tools/lint/capas.js): the command, its handler, the check the asynchronous endpoint runs before
 * accepting one, and the port that sends one to run later. Its adapters sit beside it: `rest.ts`
 * (POST /vuelos/reserva and /vuelos/reserva-comando) and `broker.ts` (topic comandos-reserva).
 */
import { Logger, loggerSilencioso } from '@aeroalpes/comun';
import { BusComandos, Comando, ManejadorComando } from '../../../seedwork/aplicacion/comandos';
import { truncarASegundos } from '../../../seedwork/aplicacion/fechas';
import { errorEsperado, exito, fallo, Resultado } from '../../../seedwork/aplicacion/resultado';
import { FabricaVuelos } from '../dominio/fabricas';
import { validarContenidoReserva } from '../dominio/reserva';
import { ReservaDTO, SolicitudReservaDTO } from '../aplicacion/dto';
import { contenidoDeSolicitud, MapeadorSolicitudReserva, reservaADto } from '../aplicacion/mapeadores';
import { DependenciasComandosReserva } from '../aplicacion/puertos';

/** Create a reserva (Pendiente). Emits ReservaCreada. The id is decided by whoever sends the command. */
export class CrearReserva extends Comando<ReservaDTO> {
  readonly tipo = 'CrearReserva';

  constructor(
    idCorrelacion: string,
    readonly idReserva: string,
    readonly solicitud: SolicitudReservaDTO,
  ) {
    super(idCorrelacion);
  }
}

const fabrica = new FabricaVuelos();

/**
 * Checks a request against the domain rules without writing anything and without building a
 * reserva (no id, no clock, no event): the value objects and the reserva's own rules, as the
 * factory checks them. The asynchronous endpoint answers 400 before accepting a command that could
 * never succeed.
 */
export function validarSolicitudReserva(solicitud: SolicitudReservaDTO): Resultado<void> {
  try {
    validarContenidoReserva(contenidoDeSolicitud(solicitud));
    return exito(undefined);
  } catch (error) {
    const esperado = errorEsperado(error);
    if (esperado) return fallo(esperado);
    throw error;
  }
}

export class ManejadorCrearReserva implements ManejadorComando<CrearReserva> {
  constructor(private readonly deps: DependenciasComandosReserva) {}

  async manejar(comando: CrearReserva): Promise<Resultado<ReservaDTO>> {
    const ahora = truncarASegundos(this.deps.reloj());
    const reserva = fabrica.crearObjeto(comando.solicitud, new MapeadorSolicitudReserva({ id: comando.idReserva, ahora }));
    const uow = this.deps.crearUoW(comando.idCorrelacion);
    await uow.registrarAgregado(reserva, this.deps.repositorio);
    await uow.commit();
    return exito(reservaADto(reserva));
  }
}

/**
 * Sends a CrearReserva to be executed asynchronously (POST /vuelos/reserva-comando). main.ts sends
 * it through the broker (DespachadorComandosBroker, topic comandos-reserva); without a broker it
 * runs in-process (DespachadorComandosEnProceso). Resolves once the command is accepted (not
 * necessarily executed).
 */
export interface DespachadorComandos {
  despachar(comando: CrearReserva): Promise<void>;
}

/**
 * In-process DespachadorComandos: runs the command on the local bus before resolving. An expected
 * failure is logged (the client already has its 202 and polls the query side); an unexpected one
 * rejects.
 */
export class DespachadorComandosEnProceso implements DespachadorComandos {
  constructor(
    private readonly bus: BusComandos,
    private readonly logger: Logger = loggerSilencioso,
  ) {}

  async despachar(comando: CrearReserva): Promise<void> {
    const resultado = await this.bus.ejecutar(comando);
    if (!resultado.ok) {
      this.logger.warn('comando asíncrono rechazado', {
        correlation_id: comando.idCorrelacion,
        id_reserva: comando.idReserva,
        error_type: resultado.error.tipo,
        reason: resultado.error.mensaje,
      });
    }
  }
}
