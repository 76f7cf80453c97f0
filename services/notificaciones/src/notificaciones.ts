import type { AlmacenEstado, Logger, MensajeRecibido, Resultado } from '@aeroalpes/comun';

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

export const HISTORIAL_MAXIMO = 200;
const INTENTOS_CONFLICTO = 8;

export const claveNotificacion = (idMensaje: string) => `notificacion:${idMensaje}`;
export const claveHistorial = (idReserva: string) => `historial:${idReserva}`;

/**
 * Sends one notification per message id, however often the broker redelivers it. The record
 * (first-write: only if absent) and the reserva's history (ETag) are written in one state
 * transaction, so a redelivery finds the record and sends nothing, and a crash leaves either both
 * or neither.
 */
export class EnviarNotificacion {
  constructor(
    private readonly almacen: AlmacenEstado,
    private readonly validar: ValidadorEvento,
    private readonly log: Logger,
    private readonly reloj: () => Date = () => new Date(),
  ) {}

  async manejar(mensaje: MensajeRecibido): Promise<Resultado> {
    const errores = this.validar(mensaje.type, mensaje.data);
    if (errores.length > 0) {
      // It can never be processed: DROP sends it to the dead-letter topic.
      this.log.warn('evento inválido: al dead-letter', { message_id: mensaje.id, type: mensaje.type, errores });
      return 'DROP';
    }
    const data = mensaje.data as Record<string, unknown>;
    const notificacion: Notificacion = {
      id_mensaje: mensaje.id,
      tipo: mensaje.type,
      id_reserva: String(data.id_reserva),
      ...(typeof data.estado === 'string' && data.estado !== '' ? { estado: data.estado } : {}),
      ...(typeof data.motivo === 'string' && data.motivo !== '' ? { motivo: data.motivo } : {}),
      ...(typeof data.id_correlacion === 'string' && data.id_correlacion !== '' ? { correlation_id: data.id_correlacion } : {}),
      enviada: this.reloj().toISOString(),
    };
    const log = this.log.con({ message_id: mensaje.id, correlation_id: notificacion.correlation_id, id_reserva: notificacion.id_reserva });

    for (let intento = 0; intento < INTENTOS_CONFLICTO; intento++) {
      const historial = await this.almacen.leer<Notificacion[]>(claveHistorial(notificacion.id_reserva));
      const lista = [...(historial.valor ?? []), notificacion].slice(-HISTORIAL_MAXIMO);
      const resultado = await this.almacen.transaccion([
        { tipo: 'upsert', clave: claveNotificacion(mensaje.id), valor: notificacion, primeraEscritura: true },
        { tipo: 'upsert', clave: claveHistorial(notificacion.id_reserva), valor: lista, ...(historial.etag ? { etag: historial.etag } : { primeraEscritura: true }) },
      ]);
      if (resultado === 'ok') {
        // The "send": one structured line per notification, once per message id.
        log.info('notificación enviada', { tipo: notificacion.tipo, estado: notificacion.estado });
        return 'SUCCESS';
      }
      const previa = await this.almacen.leer<Notificacion>(claveNotificacion(mensaje.id));
      if (previa.valor) {
        log.info('mensaje repetido: la notificación ya se envió', { tipo: notificacion.tipo });
        return 'SUCCESS';
      }
      // The history changed under us (another event of the same reserva): read it again.
    }
    log.warn('conflictos repetidos en el historial: se reintentará');
    return 'RETRY';
  }
}
