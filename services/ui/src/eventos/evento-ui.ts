import type { MensajeRecibido } from '@aeroalpes/comun';
import { accionesPermitidas, EstadoReserva, type AccionReserva, type TipoEventoReserva } from '@aeroalpes/contratos';

/** States a page shows: the reserva's states plus Rechazada (a create command that broke a rule). */
export type EstadoUi = EstadoReserva | 'Rechazada';

/**
 * What the BFF keeps and pushes of an integration event: the fields a page needs, nothing of the
 * envelope. `time` is UTC ISO-8601; `version` is the reserva's aggregate version after the event
 * (0 for ReservaRechazada), so a page orders events and knows the latest state. `acciones` are the
 * actions that state allows (the contract's table, @aeroalpes/contratos/estados-reserva): the page
 * offers those and keeps no table of its own.
 */
export interface EventoUi {
  id_mensaje: string;
  tipo: TipoEventoReserva;
  id_reserva: string;
  estado: EstadoUi;
  acciones: readonly AccionReserva[];
  motivo?: string;
  time: string;
  version: number;
  id_correlacion?: string;
}

const ESTADO_DE: Record<TipoEventoReserva, EstadoUi> = {
  ReservaCreada: EstadoReserva.Pendiente,
  ReservaAprobada: EstadoReserva.Aprobada,
  ReservaCancelada: EstadoReserva.Cancelada,
  ReservaPagada: EstadoReserva.Pagada,
  ReservaRechazada: 'Rechazada',
};

const ESTADOS: readonly string[] = Object.values(ESTADO_DE);

/**
 * An event as served to a page, with the actions of its state: also for one stored before events
 * carried them (the history in the state store outlives a deploy).
 */
export function conAcciones(evento: Omit<EventoUi, 'acciones'> & { acciones?: readonly AccionReserva[] }): EventoUi {
  return { ...evento, acciones: accionesPermitidas(evento.estado) };
}

function positivo(valor: unknown): number | undefined {
  return typeof valor === 'number' && Number.isFinite(valor) && valor > 0 ? valor : undefined;
}

/**
 * Translates a validated event of `eventos-reserva` (CloudEvent id = message id) into what the
 * page sees. The time is the event's own (`data.time`), else the domain dates it carries, else
 * the CloudEvent time, else now.
 */
export function aEventoUi(mensaje: MensajeRecibido, ahora: () => Date = () => new Date()): EventoUi {
  const tipo = mensaje.type as TipoEventoReserva;
  const data = (mensaje.data ?? {}) as Record<string, unknown>;
  const estadoDeclarado = typeof data.estado === 'string' && ESTADOS.includes(data.estado) ? (data.estado as EstadoUi) : undefined;
  const ceTime = mensaje.time ? Date.parse(mensaje.time) : NaN;
  const millis = positivo(data.time) ?? positivo(data.fecha_actualizacion) ?? positivo(data.fecha_creacion) ?? (Number.isFinite(ceTime) ? ceTime : ahora().getTime());
  const motivo = typeof data.motivo === 'string' && data.motivo !== '' ? data.motivo : undefined;
  const correlacion = typeof data.id_correlacion === 'string' && data.id_correlacion !== '' ? data.id_correlacion : undefined;
  const estado = tipo === 'ReservaCreada' ? (estadoDeclarado ?? EstadoReserva.Pendiente) : ESTADO_DE[tipo];
  return {
    id_mensaje: mensaje.id,
    tipo,
    id_reserva: String(data.id_reserva).toLowerCase(),
    estado,
    acciones: accionesPermitidas(estado),
    ...(motivo ? { motivo } : {}),
    time: new Date(millis).toISOString(),
    version: typeof data.version_agregado === 'number' && data.version_agregado >= 0 ? data.version_agregado : 0,
    ...(correlacion ? { id_correlacion: correlacion } : {}),
  };
}
