import type { EventoReservaPayload } from '@aeroalpes/contratos';
import type { Desenlace, MensajeRecibido } from '@aeroalpes/comun';
import type { MensajeIntegracion } from '../../../seedwork/infraestructura/mensajes';
import { ProyectorReservas } from './proyector';

/**
 * The read model's subscription to `eventos-reserva`: every event of a reserva brings the view up
 * to the aggregate's current version (ReservaCreada from the event itself, the others from the
 * write model) (the projector is idempotent and version-ordered, so
 * redelivered and out-of-order events are harmless). ReservaRechazada has no aggregate: there is
 * nothing to project. The seam gives it only events that hold the contract; a failure (database
 * down, write model not yet visible) throws and is retried.
 */
export class ProyeccionReservasBroker {
  constructor(
    private readonly proyector: ProyectorReservas,
    private readonly topicEventos: string,
  ) {}

  async manejar({ id, type, data: evento }: MensajeRecibido<EventoReservaPayload>): Promise<Desenlace> {
    if (type === 'ReservaRechazada') return 'SUCCESS';
    await this.proyector.manejar({
      id,
      topic: this.topicEventos,
      type,
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
