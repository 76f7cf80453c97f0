import { Comando, ManejadorComando } from '../../../../seedwork/aplicacion/comandos';
import { truncarASegundos } from '../../../../seedwork/aplicacion/fechas';
import { exito, fallo, noEncontrado, Resultado } from '../../../../seedwork/aplicacion/resultado';
import type { AccionReserva } from '../../dominio/estado-reserva';
import { ReservaDTO } from '../dto';
import { reservaADto } from '../mapeadores';
import { DependenciasComandosReserva } from '../puertos';

/**
 * aprobar, cancelar and pagar as one use case: the command names the action, the table says what
 * each one does. Which state allows which action is the published language
 * (`@aeroalpes/contratos/estados-reserva`); the aggregate enforces it (Reserva.ejecutar) and
 * records the action's event:
 *
 *   aprobar   Pendiente            -> Aprobada    ReservaAprobada
 *   cancelar  Pendiente | Aprobada -> Cancelada   ReservaCancelada
 *   pagar     Aprobada             -> Pagada      ReservaPagada
 *
 * Any other starting state is a TransicionInvalida (REST 409). `versionEsperada`, when the client
 * sends it, is the version it saw: another one is a ConflictoVersion (409).
 */
export class TransicionarReserva extends Comando<ReservaDTO> {
  readonly tipo = 'TransicionarReserva';

  constructor(
    idCorrelacion: string,
    readonly idReserva: string,
    readonly accion: AccionReserva,
    readonly versionEsperada?: number,
  ) {
    super(idCorrelacion);
  }
}

/**
 * Load, check the version the client saw (if it sent one), apply the action (the aggregate refuses
 * a disallowed one), register in a unit of work and commit (optimistic concurrency again at the
 * write: a concurrent change between load and write is a ConflictoVersion too).
 */
export class ManejadorTransicionarReserva implements ManejadorComando<TransicionarReserva> {
  constructor(private readonly deps: DependenciasComandosReserva) {}

  async manejar(comando: TransicionarReserva): Promise<Resultado<ReservaDTO>> {
    const { repositorio, reloj, crearUoW } = this.deps;
    const reserva = await repositorio.obtenerPorId(comando.idReserva);
    if (!reserva) return noEncontrado('Reserva', comando.idReserva);
    if (comando.versionEsperada !== undefined && comando.versionEsperada !== reserva.version) {
      return fallo({
        tipo: 'ConflictoVersion',
        versionEsperada: comando.versionEsperada,
        mensaje: `la reserva ${reserva.id} está en la versión ${reserva.version}, no en la ${comando.versionEsperada}`,
      });
    }
    reserva.ejecutar(comando.accion, truncarASegundos(reloj()));
    const uow = crearUoW(comando.idCorrelacion);
    await uow.registrarAgregado(reserva, repositorio);
    await uow.commit();
    return exito(reservaADto(reserva));
  }
}
