/**
 * The Reserva's state machine. Its states, actions and allowed transitions are the published
 * language of the reserva, defined once in `@aeroalpes/contratos/estados-reserva` and shared with
 * the contracts, the ui BFF and (as the `acciones` it serves) the page; the domain enforces them
 * here. Why the domain imports a contracts module: a second copy here is exactly what drifted
 * before (four tables of states), and that module is plain data with no imports, so the domain
 * stays framework-free. It is the only thing outside its seedwork that `dominio/` may import.
 */
import { TransicionInvalidaExcepcion } from '../../../seedwork/dominio/excepciones';
import { estadoTrasAccion, type AccionReserva, type EstadoReserva } from '@aeroalpes/contratos/estados-reserva';

export { ACCIONES_RESERVA, EstadoReserva, ESTADOS_RESERVA, esEstadoReserva, puedeTransicionar, type AccionReserva } from '@aeroalpes/contratos/estados-reserva';

/** The state a reserva in `estado` moves to on `accion`; a TransicionInvalidaExcepcion when `estado` does not allow it. */
export function siguienteEstado(idReserva: string, estado: EstadoReserva, accion: AccionReserva): EstadoReserva {
  const hacia = estadoTrasAccion(estado, accion);
  if (!hacia) throw new TransicionInvalidaExcepcion('Reserva', idReserva, estado, accion);
  return hacia;
}
