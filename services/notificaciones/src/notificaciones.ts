import { camposEscritura, RegistroPorVersion, type AlmacenEstado, type Desenlace, type Escritura, type Logger, type MensajeRecibido } from '@aeroalpes/comun';
import type { EventoReservaPayload } from '@aeroalpes/contratos';

/** What a notification records: the event it announces and when it was sent. */
export interface Notificacion {
  id_mensaje: string;
  tipo: string;
  id_reserva: string;
  estado?: string;
  motivo?: string;
  correlation_id?: string;
  enviada: string;
}

/**
 * The notifications of each reserva, one key per aggregate version: `notificacion:<id_reserva>:<version>`
 * (the history of a reserva is versions 0..VERSION_MAXIMA, read in one bulk get).
 */
export const registroNotificaciones = (almacen: AlmacenEstado) => new RegistroPorVersion<Notificacion>(almacen, 'notificacion');

/**
 * Sends one notification per message id, however often the broker redelivers it. Each event of
 * a reserva carries the aggregate version it produced (exactly one event per version;
 * ReservaRechazada is version 0), so the notification is written first-write under (reserva,
 * version): that single write is the deduplication and the history entry at once, and a crash
 * leaves the whole notification or nothing. A batch is written in one transaction.
 *
 * The same (reserva, version) holding another message id is DROPPED, not sent: the aggregate's
 * optimistic concurrency gives each version one event and a rejection's message id is derived
 * from its command's (whose reserva id is new), so a second id there is an anomaly, a producer
 * bug or a forged message, not news for the customer. DROP puts it on the dead-letter topic,
 * where RegistroDeadLetter keeps it for an operator, and the log names both ids; keeping it
 * beside the history would need a key per message id or a list that grows.
 */
/** What writing a notification means for its message: the outcome and the one line logged. */
const DESENLACES: Record<Escritura<unknown>['tipo'], { desenlace: Desenlace; nivel: 'info' | 'warn'; msg: string }> = {
  // The "send": one structured line per notification, once per message id.
  nuevo: { desenlace: 'SUCCESS', nivel: 'info', msg: 'notificación enviada' },
  repetido: { desenlace: 'SUCCESS', nivel: 'info', msg: 'mensaje repetido: la notificación ya se envió' },
  conflicto: { desenlace: 'DROP', nivel: 'warn', msg: 'otro mensaje ya ocupa esta versión de la reserva: al dead-letter' },
  invalido: { desenlace: 'DROP', nivel: 'warn', msg: 'evento sin versión utilizable: al dead-letter' },
  agotado: { desenlace: 'RETRY', nivel: 'warn', msg: 'conflictos repetidos al escribir la notificación: se reintentará' },
};

export class EnviarNotificacion {
  private readonly registro: RegistroPorVersion<Notificacion>;

  constructor(
    almacen: AlmacenEstado,
    private readonly log: Logger,
    private readonly reloj: () => Date = () => new Date(),
  ) {
    this.registro = registroNotificaciones(almacen);
  }

  /** One outcome per message, in order. Throws when the state store fails (the seam answers RETRY). */
  async manejarLote(mensajes: readonly MensajeRecibido<EventoReservaPayload>[]): Promise<Desenlace[]> {
    const notificaciones = mensajes.map((m) => this.notificacion(m));
    const escrituras = await this.registro.registrar(mensajes.map((m, i) => ({ id: m.data.id_reserva, version: m.data.version_agregado, valor: notificaciones[i]! })));
    return escrituras.map((escritura, i) => {
      const { id_mensaje, correlation_id, id_reserva, tipo, estado } = notificaciones[i]!;
      const { desenlace, nivel, msg } = DESENLACES[escritura.tipo];
      this.log[nivel](msg, { message_id: id_mensaje, correlation_id, id_reserva, type: tipo, estado, version: mensajes[i]!.data.version_agregado, ...camposEscritura(escritura) });
      return desenlace;
    });
  }

  private notificacion({ id, type, correlacion, data }: MensajeRecibido<EventoReservaPayload>): Notificacion {
    return {
      id_mensaje: id,
      tipo: type,
      id_reserva: data.id_reserva,
      ...(data.estado ? { estado: data.estado } : {}),
      ...(data.motivo ? { motivo: data.motivo } : {}),
      ...(correlacion ? { correlation_id: correlacion } : {}),
      enviada: this.reloj().toISOString(),
    };
  }
}
