import { BusComandos } from '../../../seedwork/aplicacion/comandos';
import { Logger, loggerSilencioso } from '@aeroalpes/comun';
import { CrearReserva } from '../aplicacion/comandos/crear-reserva';
import { DespachadorComandos } from '../aplicacion/puertos';

/**
 * In-process adapter of DespachadorComandos: runs the command on the local bus before resolving.
 * An expected failure is logged (the client already has its 202 and polls the query side);
 * an unexpected one rejects. The broker adapter (comandos-reserva) replaces it.
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
