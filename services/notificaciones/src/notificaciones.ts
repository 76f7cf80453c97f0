import { RegistroPorVersion, type AlmacenEstado, type Logger, type MensajeRecibido, type Resultado } from '@aeroalpes/comun';

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

/** Validates an integration event; returns the reasons it is not one (empty when valid). */
export type ValidadorEvento = (tipo: string, data: unknown) => unknown[];

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
export class EnviarNotificacion {
  private readonly registro: RegistroPorVersion<Notificacion>;

  constructor(
    almacen: AlmacenEstado,
    private readonly validar: ValidadorEvento,
    private readonly log: Logger,
    private readonly reloj: () => Date = () => new Date(),
  ) {
    this.registro = registroNotificaciones(almacen);
  }

  async manejar(mensaje: MensajeRecibido): Promise<Resultado> {
    const [resultado] = await this.manejarLote([mensaje]);
    return resultado!;
  }

  /** One result per message, in order. Throws when the state store fails (the subscription answers RETRY). */
  async manejarLote(mensajes: MensajeRecibido[]): Promise<Resultado[]> {
    const resultados: Resultado[] = mensajes.map(() => 'DROP');
    const validos: { i: number; version: number; notificacion: Notificacion }[] = [];
    mensajes.forEach((mensaje, i) => {
      const errores = this.validar(mensaje.type, mensaje.data);
      if (errores.length > 0) {
        // It can never be processed: DROP sends it to the dead-letter topic.
        this.log.warn('evento inválido: al dead-letter', { message_id: mensaje.id, type: mensaje.type, errores });
        return;
      }
      const data = mensaje.data as Record<string, unknown>;
      validos.push({ i, version: typeof data.version_agregado === 'number' ? data.version_agregado : NaN, notificacion: this.notificacion(mensaje, data) });
    });
    if (validos.length === 0) return resultados;
    const escrituras = await this.registro.registrar(validos.map((v) => ({ id: v.notificacion.id_reserva, version: v.version, valor: v.notificacion })));
    validos.forEach(({ i, version, notificacion }, j) => {
      const escritura = escrituras[j]!;
      const log = this.log.con({ message_id: notificacion.id_mensaje, correlation_id: notificacion.correlation_id, id_reserva: notificacion.id_reserva });
      switch (escritura.tipo) {
        case 'nuevo':
          // The "send": one structured line per notification, once per message id.
          log.info('notificación enviada', { tipo: notificacion.tipo, estado: notificacion.estado, version });
          resultados[i] = 'SUCCESS';
          break;
        case 'repetido':
          log.info('mensaje repetido: la notificación ya se envió', { tipo: notificacion.tipo, version });
          resultados[i] = 'SUCCESS';
          break;
        case 'conflicto':
          log.warn('otro mensaje ya ocupa esta versión de la reserva: al dead-letter', { tipo: notificacion.tipo, version, message_id_previo: escritura.previo.id_mensaje });
          resultados[i] = 'DROP';
          break;
        case 'invalido':
          log.warn('evento sin versión utilizable: al dead-letter', { tipo: notificacion.tipo, version, motivo: escritura.motivo });
          resultados[i] = 'DROP';
          break;
        case 'agotado':
          log.warn('conflictos repetidos al escribir la notificación: se reintentará', { tipo: notificacion.tipo, version });
          resultados[i] = 'RETRY';
          break;
      }
    });
    return resultados;
  }

  private notificacion(mensaje: MensajeRecibido, data: Record<string, unknown>): Notificacion {
    return {
      id_mensaje: mensaje.id,
      tipo: mensaje.type,
      id_reserva: String(data.id_reserva),
      ...(typeof data.estado === 'string' && data.estado !== '' ? { estado: data.estado } : {}),
      ...(typeof data.motivo === 'string' && data.motivo !== '' ? { motivo: data.motivo } : {}),
      ...(typeof data.id_correlacion === 'string' && data.id_correlacion !== '' ? { correlation_id: data.id_correlacion } : {}),
      enviada: this.reloj().toISOString(),
    };
  }
}
