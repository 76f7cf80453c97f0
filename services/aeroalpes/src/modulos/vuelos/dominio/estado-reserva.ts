/** States of a Reserva and the transitions its state machine allows. */
export const EstadoReserva = {
  Pendiente: 'Pendiente',
  Aprobada: 'Aprobada',
  Cancelada: 'Cancelada',
  Pagada: 'Pagada',
} as const;

export type EstadoReserva = (typeof EstadoReserva)[keyof typeof EstadoReserva];

export const ESTADOS_RESERVA: readonly EstadoReserva[] = Object.values(EstadoReserva);

/** Pendiente -> Aprobada -> Pagada; Pendiente | Aprobada -> Cancelada; nothing out of Cancelada or Pagada. */
export const TRANSICIONES: Readonly<Record<EstadoReserva, readonly EstadoReserva[]>> = {
  Pendiente: [EstadoReserva.Aprobada, EstadoReserva.Cancelada],
  Aprobada: [EstadoReserva.Pagada, EstadoReserva.Cancelada],
  Cancelada: [],
  Pagada: [],
};

export function puedeTransicionar(desde: EstadoReserva, hacia: EstadoReserva): boolean {
  return TRANSICIONES[desde].includes(hacia);
}

export function esEstadoReserva(valor: unknown): valor is EstadoReserva {
  return typeof valor === 'string' && (ESTADOS_RESERVA as readonly string[]).includes(valor);
}
