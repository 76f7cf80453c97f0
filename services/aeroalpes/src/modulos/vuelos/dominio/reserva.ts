import { AgregacionRaiz } from '../../../seedwork/dominio/entidades';
import { validarRegla } from '../../../seedwork/dominio/reglas';
import { AccionReserva, EstadoReserva, siguienteEstado } from './estado-reserva';
import { EVENTO_DE_ACCION, ReservaCreada } from './eventos';
import { Itinerario, Pasajero } from './objetos-valor';
import { MinimoUnAdulto, MinimoUnItinerario } from './reglas';

/** What a reserva holds besides its identity, state and dates. */
export interface ContenidoReserva {
  idCliente?: string | undefined;
  itinerarios: readonly Itinerario[];
  pasajeros?: readonly Pasajero[] | undefined;
}

export interface PropsReserva extends ContenidoReserva {
  estado: EstadoReserva;
  fechaCreacion: Date;
  fechaActualizacion: Date;
}

export interface DatosNuevaReserva extends ContenidoReserva {
  id: string;
  ahora: Date;
}

/**
 * The reserva's own rules over its content (each value object checked its own when it was built):
 * at least one itinerario; where passengers are given, an adult among them. Throws
 * ReglaNegocioExcepcion naming the first rule broken. The aggregate checks them when it is built;
 * a request is checked with them (and its value objects) before a command is accepted, without
 * building an aggregate.
 */
export function validarContenidoReserva(contenido: ContenidoReserva): void {
  validarRegla(new MinimoUnItinerario(contenido.itinerarios));
  if (contenido.pasajeros) validarRegla(new MinimoUnAdulto(contenido.pasajeros));
}

/**
 * Aggregate root of the vuelos module. State machine:
 * Pendiente -> Aprobada -> Pagada; Pendiente | Aprobada -> Cancelada; nothing out of Cancelada or Pagada.
 * Every change records a domain event.
 */
export class Reserva extends AgregacionRaiz {
  #idCliente: string | undefined;
  #estado: EstadoReserva;
  #fechaCreacion: Date;
  #fechaActualizacion: Date;
  readonly #itinerarios: readonly Itinerario[];
  readonly #pasajeros: readonly Pasajero[] | undefined;

  private constructor(id: string, props: PropsReserva, version: number) {
    super(id, version);
    this.#idCliente = props.idCliente;
    this.#estado = props.estado;
    this.#fechaCreacion = new Date(props.fechaCreacion.getTime());
    this.#fechaActualizacion = new Date(props.fechaActualizacion.getTime());
    this.#itinerarios = Object.freeze([...props.itinerarios]);
    this.#pasajeros = props.pasajeros ? Object.freeze([...props.pasajeros]) : undefined;
    validarContenidoReserva({ itinerarios: this.#itinerarios, pasajeros: this.#pasajeros });
  }

  /** A new reserva: Pendiente, records ReservaCreada. */
  static crear(datos: DatosNuevaReserva): Reserva {
    const reserva = new Reserva(
      datos.id,
      {
        idCliente: datos.idCliente,
        estado: EstadoReserva.Pendiente,
        fechaCreacion: datos.ahora,
        fechaActualizacion: datos.ahora,
        itinerarios: datos.itinerarios,
        pasajeros: datos.pasajeros,
      },
      0,
    );
    reserva.agregarEvento(new ReservaCreada(reserva.id, reserva.idCliente, reserva.estado, reserva.fechaCreacion, reserva.itinerarios, reserva.pasajeros));
    return reserva;
  }

  /** Rebuilds a persisted reserva (no events). */
  static reconstruir(id: string, props: PropsReserva, version: number): Reserva {
    if (version < 1) throw new Error('una reserva persistida tiene versión >= 1');
    return new Reserva(id, props, version);
  }

  get idCliente(): string | undefined {
    return this.#idCliente;
  }

  get estado(): EstadoReserva {
    return this.#estado;
  }

  get fechaCreacion(): Date {
    return new Date(this.#fechaCreacion.getTime());
  }

  get fechaActualizacion(): Date {
    return new Date(this.#fechaActualizacion.getTime());
  }

  get itinerarios(): readonly Itinerario[] {
    return this.#itinerarios;
  }

  get pasajeros(): readonly Pasajero[] | undefined {
    return this.#pasajeros;
  }

  aprobar(ahora: Date): void {
    this.ejecutar('aprobar', ahora);
  }

  cancelar(ahora: Date): void {
    this.ejecutar('cancelar', ahora);
  }

  pagar(ahora: Date): void {
    this.ejecutar('pagar', ahora);
  }

  /**
   * Applies an action (aprobar, cancelar, pagar) if the current state allows it and records its
   * event; any other is a TransicionInvalidaExcepcion and changes nothing.
   */
  ejecutar(accion: AccionReserva, ahora: Date): void {
    this.#estado = siguienteEstado(this.id, this.#estado, accion);
    // Never before the creation date, whatever the clock says.
    this.#fechaActualizacion = new Date(Math.max(ahora.getTime(), this.#fechaCreacion.getTime()));
    this.agregarEvento(new EVENTO_DE_ACCION[accion](this.id, this.fechaActualizacion));
  }
}
