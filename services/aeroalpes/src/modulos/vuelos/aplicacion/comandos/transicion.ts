import { Comando } from '../../../../seedwork/aplicacion/comandos';
import { truncarASegundos } from '../../../../seedwork/aplicacion/fechas';
import { exito, fallo, noEncontrado, Resultado } from '../../../../seedwork/aplicacion/resultado';
import { Reserva } from '../../dominio/reserva';
import { ReservaDTO } from '../dto';
import { reservaADto } from '../mapeadores';
import { DependenciasComandosReserva } from '../puertos';

/** Common shape of aprobar / cancelar / pagar: the reserva's id and, optionally, the version the client saw. */
export abstract class ComandoTransicionReserva extends Comando<ReservaDTO> {
  constructor(
    idCorrelacion: string,
    readonly idReserva: string,
    readonly versionEsperada?: number,
  ) {
    super(idCorrelacion);
  }
}

/**
 * Load, check the version the client saw (if it sent one), apply the transition (the aggregate
 * refuses disallowed ones), register in a unit of work and commit (optimistic concurrency again at
 * the write: a concurrent change between load and write is a ConflictoVersion too).
 */
export async function transicionarReserva(
  deps: DependenciasComandosReserva,
  comando: ComandoTransicionReserva,
  transicion: (reserva: Reserva, ahora: Date) => void,
): Promise<Resultado<ReservaDTO>> {
  const reserva = await deps.repositorio.obtenerPorId(comando.idReserva);
  if (!reserva) return noEncontrado('Reserva', comando.idReserva);
  if (comando.versionEsperada !== undefined && comando.versionEsperada !== reserva.version) {
    return fallo({
      tipo: 'ConflictoVersion',
      versionEsperada: comando.versionEsperada,
      mensaje: `la reserva ${reserva.id} está en la versión ${reserva.version}, no en la ${comando.versionEsperada}`,
    });
  }
  transicion(reserva, truncarASegundos(deps.reloj()));
  const uow = deps.crearUoW(comando.idCorrelacion);
  await uow.registrarAgregado(reserva, deps.repositorio);
  await uow.commit();
  return exito(reservaADto(reserva));
}
