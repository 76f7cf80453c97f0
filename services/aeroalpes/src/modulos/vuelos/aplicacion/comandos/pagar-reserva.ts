import { ManejadorComando } from '../../../../seedwork/aplicacion/comandos';
import { Resultado } from '../../../../seedwork/aplicacion/resultado';
import { ReservaDTO } from '../dto';
import { DependenciasComandosReserva } from '../puertos';
import { ComandoTransicionReserva, transicionarReserva } from './transicion';

/** Aprobada -> Pagada. Emits ReservaPagada; any other starting state is a TransicionInvalida (409). */
export class PagarReserva extends ComandoTransicionReserva {
  readonly tipo = 'PagarReserva';
}

export class ManejadorPagarReserva implements ManejadorComando<PagarReserva> {
  constructor(private readonly deps: DependenciasComandosReserva) {}

  manejar(comando: PagarReserva): Promise<Resultado<ReservaDTO>> {
    return transicionarReserva(this.deps, comando, (reserva, ahora) => reserva.pagar(ahora));
  }
}
