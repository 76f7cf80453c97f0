import { EventoDominio } from '../../../seedwork/dominio/eventos';
import type { AccionReserva, EstadoReserva } from './estado-reserva';
import type { Itinerario, Pasajero } from './objetos-valor';

/** Domain events of the Reserva lifecycle (in-process; integration messages are derived from them). */
export class ReservaCreada extends EventoDominio {
  readonly tipo = 'ReservaCreada';

  constructor(
    readonly idReserva: string,
    readonly idCliente: string | undefined,
    readonly estado: EstadoReserva,
    readonly fechaCreacion: Date,
    /** The new reserva's content, so that its consumers need not read it back. */
    readonly itinerarios: readonly Itinerario[] = [],
    readonly pasajeros: readonly Pasajero[] | undefined = undefined,
  ) {
    super(fechaCreacion);
  }
}

export class ReservaAprobada extends EventoDominio {
  readonly tipo = 'ReservaAprobada';

  constructor(
    readonly idReserva: string,
    readonly fechaActualizacion: Date,
  ) {
    super(fechaActualizacion);
  }
}

export class ReservaCancelada extends EventoDominio {
  readonly tipo = 'ReservaCancelada';

  constructor(
    readonly idReserva: string,
    readonly fechaActualizacion: Date,
  ) {
    super(fechaActualizacion);
  }
}

export class ReservaPagada extends EventoDominio {
  readonly tipo = 'ReservaPagada';

  constructor(
    readonly idReserva: string,
    readonly fechaActualizacion: Date,
  ) {
    super(fechaActualizacion);
  }
}

/** The event each action records. */
export const EVENTO_DE_ACCION = {
  aprobar: ReservaAprobada,
  cancelar: ReservaCancelada,
  pagar: ReservaPagada,
} as const satisfies Record<AccionReserva, new (idReserva: string, fechaActualizacion: Date) => EventoDominio>;
