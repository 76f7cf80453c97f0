import { validarEventoReserva, type EventoReservaPayload } from '@aeroalpes/contratos';
import type { MensajeRecibido, Resultado } from '@aeroalpes/comun';
import { Logger, loggerSilencioso } from '@aeroalpes/comun';
import type { MensajeIntegracion } from '../../../seedwork/infraestructura/mensajes';
import { ProyectorReservas } from './proyector';

/**
 * The read model's subscription to `eventos-reserva`: every event of a reserva brings the view up
 * to the aggregate's current version (ReservaCreada from the event itself, the others from the
 * write model) (the projector is idempotent and version-ordered, so
 * redelivered and out-of-order events are harmless). ReservaRechazada has no aggregate: there is
 * nothing to project. An event that breaks the contract goes to the dead-letter topic; a failure
 * (database down, write model not yet visible) is retried.
 */
export class ProyeccionReservasBroker {
  constructor(
    private readonly proyector: ProyectorReservas,
    private readonly topicEventos: string,
    private readonly logger: Logger = loggerSilencioso,
  ) {}

  async manejar(m: MensajeRecibido): Promise<Resultado> {
    const errores = validarEventoReserva(m.type, m.data);
    if (errores.length > 0) {
      this.logger.warn('evento fuera del contrato: al dead-letter', { idMensaje: m.id, tipo: m.type, errores });
      return 'DROP';
    }
    const evento = m.data as EventoReservaPayload;
    if (m.type === 'ReservaRechazada') return 'SUCCESS';
    await this.proyector.manejar({
      id: m.id,
      topic: this.topicEventos,
      type: m.type,
      time: evento.time,
      correlationId: evento.id_correlacion,
      aggregateId: evento.id_reserva,
      aggregateVersion: evento.version_agregado,
      // The whole record: ReservaCreada carries the new reserva, which the view is built from.
      payload: evento as unknown as MensajeIntegracion['payload'],
    });
    return 'SUCCESS';
  }
}
