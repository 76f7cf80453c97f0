import { AgregacionRaiz } from '../../../seedwork/dominio/entidades';
import { TransicionInvalidaExcepcion } from '../../../seedwork/dominio/excepciones';
import { EstadoReserva, puedeTransicionar } from './estado-reserva';
import { ReservaAprobada, ReservaCancelada, ReservaCreada, ReservaPagada } from './eventos';
import { Itinerario, Pasajero } from './objetos-valor';
import { MinimoUnAdulto, MinimoUnItinerario } from './reglas';

export interface PropsReserva {
  idCliente?: string | undefined;
  estado: EstadoReserva;
  fechaCreacion: Date;
  fechaActualizacion: Date;
  itinerarios: readonly Itinerario[];
  pasajeros?: readonly Pasajero[] | undefined;
}

export interface DatosNuevaReserva {
  id: string;
  idCliente?: string | undefined;
  itinerarios: readonly Itinerario[];
  pasajeros?: readonly Pasajero[] | undefined;
  ahora: Date;
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
    this.validarRegla(new MinimoUnItinerario(this.#itinerarios));
    if (this.#pasajeros) this.validarRegla(new MinimoUnAdulto(this.#pasajeros));
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
    this.#transicionar(EstadoReserva.Aprobada, 'aprobar', ahora);
    this.agregarEvento(new ReservaAprobada(this.id, this.fechaActualizacion));
  }

  cancelar(ahora: Date): void {
    this.#transicionar(EstadoReserva.Cancelada, 'cancelar', ahora);
    this.agregarEvento(new ReservaCancelada(this.id, this.fechaActualizacion));
  }

  pagar(ahora: Date): void {
    this.#transicionar(EstadoReserva.Pagada, 'pagar', ahora);
    this.agregarEvento(new ReservaPagada(this.id, this.fechaActualizacion));
  }

  #transicionar(hacia: EstadoReserva, accion: string, ahora: Date): void {
    if (!puedeTransicionar(this.#estado, hacia)) {
      throw new TransicionInvalidaExcepcion('Reserva', this.id, this.#estado, accion);
    }
    this.#estado = hacia;
    // Never before the creation date, whatever the clock says.
    this.#fechaActualizacion = new Date(Math.max(ahora.getTime(), this.#fechaCreacion.getTime()));
  }
}
