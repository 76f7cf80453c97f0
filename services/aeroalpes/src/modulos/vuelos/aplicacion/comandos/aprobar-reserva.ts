import { ManejadorComando } from '../../../../seedwork/aplicacion/comandos';
import { Resultado } from '../../../../seedwork/aplicacion/resultado';
import { ReservaDTO } from '../dto';
import { DependenciasComandosReserva } from '../puertos';
import { ComandoTransicionReserva, transicionarReserva } from './transicion';

/** Pendiente -> Aprobada. Emits ReservaAprobada; any other starting state is a TransicionInvalida (409). */
export class AprobarReserva extends ComandoTransicionReserva {
  readonly tipo = 'AprobarReserva';
}

export class ManejadorAprobarReserva implements ManejadorComando<AprobarReserva> {
  constructor(private readonly deps: DependenciasComandosReserva) {}

  manejar(comando: AprobarReserva): Promise<Resultado<ReservaDTO>> {
    return transicionarReserva(this.deps, comando, (reserva, ahora) => reserva.aprobar(ahora));
  }
}
