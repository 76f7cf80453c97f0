import { ConsumidorMensajes, MensajeIntegracion } from '../../../seedwork/infraestructura/mensajes';
import { Logger, loggerSilencioso } from '@aeroalpes/comun';
import { RepositorioReservas } from '../dominio/repositorios';
import { reservaADto } from '../aplicacion/mapeadores';
import { VistaReservas } from '../aplicacion/puertos';

/**
 * Keeps the read model (`reservas_vista`) up to date from the integration messages of
 * `eventos-reserva`. Event-as-notification: the message only says "reserva X changed (version v)";
 * the projector reads the aggregate's current state from the write model and writes it if it is
 * newer than what the view holds. Redelivered, duplicated or out-of-order messages are harmless.
 * Called in-process after commit for now; the event-flow issue can drive it from the broker.
 */
export class ProyectorReservas implements ConsumidorMensajes {
  constructor(
    private readonly repositorio: RepositorioReservas,
    private readonly vista: VistaReservas,
    private readonly topicEventos: string,
    private readonly logger: Logger = loggerSilencioso,
  ) {}

  async manejar(mensaje: MensajeIntegracion): Promise<void> {
    if (mensaje.topic !== this.topicEventos) return;
    const id = typeof mensaje.payload.id_reserva === 'string' ? mensaje.payload.id_reserva : mensaje.aggregateId;
    const reserva = await this.repositorio.obtenerPorId(id);
    if (!reserva) {
      this.logger.warn('proyector: la reserva del mensaje no existe en el modelo de escritura', {
        idCorrelacion: mensaje.correlationId,
        idMensaje: mensaje.id,
        idReserva: id,
      });
      return;
    }
    if (reserva.version < mensaje.aggregateVersion) {
      // The write model cannot be behind a committed message: fail so the message is retried.
      throw new Error(`proyector: la reserva ${id} está en la versión ${reserva.version}, el mensaje es de la ${mensaje.aggregateVersion}`);
    }
    const escrito = await this.vista.guardarSiMasNueva(reservaADto(reserva));
    this.logger.debug('proyector: vista de reserva', {
      idCorrelacion: mensaje.correlationId,
      idReserva: id,
      version: reserva.version,
      escrito,
    });
  }
}
