/**
 * The reserva's states, the actions that move it and which actions each state allows: the
 * published language that every side speaks, defined once here. The domain's state machine
 * (aeroalpes `dominio/estado-reserva.ts`), the contracts (`estado` of ReservaCreada), the REST
 * schemas, the ui BFF and, through the `acciones` the BFF serves with each reserva, the page all
 * read it from this module.
 *
 * Dependency-free on purpose (no import at all, not even from this package): the domain layer may
 * import it, and nothing else of the contracts package. Imported as
 * `@aeroalpes/contratos/estados-reserva`, so importing it does not load Avro or the schemas.
 */

/** Every state, in the order of the lifecycle. A new reserva is `Pendiente`. */
export const ESTADOS_RESERVA = ['Pendiente', 'Aprobada', 'Cancelada', 'Pagada'] as const;
export type EstadoReserva = (typeof ESTADOS_RESERVA)[number];

/** The states as named constants: `EstadoReserva.Pendiente`. */
export const EstadoReserva: { readonly [E in EstadoReserva]: E } = Object.freeze({
  Pendiente: 'Pendiente',
  Aprobada: 'Aprobada',
  Cancelada: 'Cancelada',
  Pagada: 'Pagada',
});

/** Each action and the state it leads to (REST: POST /vuelos/reserva/{id}/{accion}). */
export const ESTADO_TRAS_ACCION = Object.freeze({
  aprobar: 'Aprobada',
  cancelar: 'Cancelada',
  pagar: 'Pagada',
} as const satisfies Record<string, EstadoReserva>);
export type AccionReserva = keyof typeof ESTADO_TRAS_ACCION;

export const ACCIONES_RESERVA: readonly AccionReserva[] = Object.freeze(Object.keys(ESTADO_TRAS_ACCION) as AccionReserva[]);

/**
 * The actions each state allows, in the order a page offers them: Pendiente -> Aprobada -> Pagada;
 * Pendiente | Aprobada -> Cancelada; nothing out of Cancelada or Pagada. Every other action is a
 * TransicionInvalida (REST 409).
 */
export const ACCIONES_PERMITIDAS: { readonly [E in EstadoReserva]: readonly AccionReserva[] } = Object.freeze({
  Pendiente: Object.freeze(['aprobar', 'cancelar'] as const),
  Aprobada: Object.freeze(['pagar', 'cancelar'] as const),
  Cancelada: Object.freeze([] as const),
  Pagada: Object.freeze([] as const),
});

export function esEstadoReserva(valor: unknown): valor is EstadoReserva {
  return typeof valor === 'string' && (ESTADOS_RESERVA as readonly string[]).includes(valor);
}

export function esAccionReserva(valor: unknown): valor is AccionReserva {
  return typeof valor === 'string' && Object.hasOwn(ESTADO_TRAS_ACCION, valor);
}

/** The actions a state allows; none for anything that is not a reserva state (e.g. Rechazada). */
export function accionesPermitidas(estado: unknown): readonly AccionReserva[] {
  return esEstadoReserva(estado) ? ACCIONES_PERMITIDAS[estado] : [];
}

/** The state `accion` leads to from `desde`, or undefined when `desde` does not allow it. */
export function estadoTrasAccion(desde: EstadoReserva, accion: AccionReserva): EstadoReserva | undefined {
  return ACCIONES_PERMITIDAS[desde].includes(accion) ? ESTADO_TRAS_ACCION[accion] : undefined;
}

/** Whether some action allowed in `desde` leads to `hacia`. */
export function puedeTransicionar(desde: EstadoReserva, hacia: EstadoReserva): boolean {
  return ACCIONES_PERMITIDAS[desde].some((accion) => ESTADO_TRAS_ACCION[accion] === hacia);
}
