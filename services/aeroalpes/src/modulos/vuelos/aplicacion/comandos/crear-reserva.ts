import { Comando, ManejadorComando } from '../../../../seedwork/aplicacion/comandos';
import { truncarASegundos } from '../../../../seedwork/aplicacion/fechas';
import { errorEsperado, exito, fallo, Resultado } from '../../../../seedwork/aplicacion/resultado';
import { FabricaVuelos } from '../../dominio/fabricas';
import { validarContenidoReserva } from '../../dominio/reserva';
import { ReservaDTO, SolicitudReservaDTO } from '../dto';
import { contenidoDeSolicitud, MapeadorSolicitudReserva, reservaADto } from '../mapeadores';
import { DependenciasComandosReserva } from '../puertos';

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
