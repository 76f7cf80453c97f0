import { ConsumidorMensajes, MensajeIntegracion } from '../../../seedwork/infraestructura/mensajes';
import { Logger, loggerSilencioso } from '@aeroalpes/comun';
import { RepositorioReservas } from '../dominio/repositorios';
import { reservaADto } from '../aplicacion/mapeadores';
import { VistaReservas } from '../aplicacion/puertos';
import { reservaDeReservaCreada } from './codec-v1';

/**
 * Keeps the read model (`reservas_vista`) up to date from the integration messages of
 * `eventos-reserva`, version-ordered (a write only replaces a lower version), so redelivered,
 * duplicated or out-of-order messages are harmless.
 * - ReservaCreada carries the whole new reserva: the view is built from the event (no read of the
 *   write model).
 * - The other events say "reserva X changed (version v)": the projector reads the aggregate's
 *   current state from the write model and writes it if it is newer than what the view holds.
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
    const nueva = mensaje.type === 'ReservaCreada' ? reservaDeReservaCreada(mensaje.payload, mensaje.aggregateVersion) : undefined;
    if (nueva) {
      const escrito = await this.vista.guardarSiMasNueva(nueva);
      this.logger.debug('proyector: vista de reserva nueva (desde el evento)', { correlation_id: mensaje.correlationId, id_reserva: id, written: escrito });
      return;
    }
    const reserva = await this.repositorio.obtenerPorId(id);
    if (!reserva) {
      this.logger.warn('proyector: la reserva del mensaje no existe en el modelo de escritura', {
        correlation_id: mensaje.correlationId,
        message_id: mensaje.id,
        id_reserva: id,
      });
      return;
    }
    if (reserva.version < mensaje.aggregateVersion) {
      // The write model cannot be behind a committed message: fail so the message is retried.
      throw new Error(`proyector: la reserva ${id} está en la versión ${reserva.version}, el mensaje es de la ${mensaje.aggregateVersion}`);
    }
    const escrito = await this.vista.guardarSiMasNueva(reservaADto(reserva));
    this.logger.debug('proyector: vista de reserva', {
      correlation_id: mensaje.correlationId,
      id_reserva: id,
      version: reserva.version,
      written: escrito,
    });
  }
}
