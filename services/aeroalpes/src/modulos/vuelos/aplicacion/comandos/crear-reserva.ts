import { Comando, ManejadorComando } from '../../../../seedwork/aplicacion/comandos';
import { truncarASegundos } from '../../../../seedwork/aplicacion/fechas';
import { errorEsperado, exito, fallo, Resultado } from '../../../../seedwork/aplicacion/resultado';
import { FabricaVuelos } from '../../dominio/fabricas';
import { Reserva } from '../../dominio/reserva';
import { ReservaDTO, SolicitudReservaDTO } from '../dto';
import { MapeadorSolicitudReserva, reservaADto } from '../mapeadores';
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

function construir(id: string, solicitud: SolicitudReservaDTO, ahora: Date): Reserva {
  return fabrica.crearObjeto(solicitud, new MapeadorSolicitudReserva({ id, ahora }));
}

/**
 * Checks a request against the domain rules without writing anything: the asynchronous endpoint
 * answers 400 before accepting a command that could never succeed.
 */
export function validarSolicitudReserva(solicitud: SolicitudReservaDTO, ahora: Date = new Date()): Resultado<void> {
  try {
    construir('00000000-0000-4000-8000-000000000000', solicitud, ahora);
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
    const reserva = construir(comando.idReserva, comando.solicitud, truncarASegundos(this.deps.reloj()));
    const uow = this.deps.crearUoW(comando.idCorrelacion);
    await uow.registrarAgregado(reserva, this.deps.repositorio);
    await uow.commit();
    return exito(reservaADto(reserva));
  }
}
