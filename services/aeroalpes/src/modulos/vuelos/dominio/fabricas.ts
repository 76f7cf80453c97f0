import { Fabrica } from '../../../seedwork/dominio/fabricas';
import { Mapeador } from '../../../seedwork/dominio/mapeadores';
import { Reserva } from './reserva';

/**
 * Builds a Reserva from an external representation (a request DTO, a command payload) through the
 * mapper the caller gives,. The Reserva validates its own rules while
 * it is built (a violation throws ReglaNegocioExcepcion naming the rule and the field).
 */
export class FabricaVuelos implements Fabrica<Reserva> {
  crearObjeto<TExterno>(obj: TExterno, mapeador: Mapeador<TExterno, Reserva>): Reserva {
    const reserva = mapeador.externoAEntidad(obj);
    if (!(reserva instanceof Reserva)) throw new Error('el mapeador no produjo una Reserva');
    return reserva;
  }
}
