import { ManejadorComando } from '../../../../seedwork/aplicacion/comandos';
import { Resultado } from '../../../../seedwork/aplicacion/resultado';
import { ReservaDTO } from '../dto';
import { DependenciasComandosReserva } from '../puertos';
import { ComandoTransicionReserva, transicionarReserva } from './transicion';

/** Pendiente | Aprobada -> Cancelada. Emits ReservaCancelada; any other starting state is a TransicionInvalida (409). */
export class CancelarReserva extends ComandoTransicionReserva {
  readonly tipo = 'CancelarReserva';
}

export class ManejadorCancelarReserva implements ManejadorComando<CancelarReserva> {
  constructor(private readonly deps: DependenciasComandosReserva) {}

  manejar(comando: CancelarReserva): Promise<Resultado<ReservaDTO>> {
    return transicionarReserva(this.deps, comando, (reserva, ahora) => reserva.cancelar(ahora));
  }
}
