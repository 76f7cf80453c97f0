import { ReglaNegocio } from '../../../seedwork/dominio/reglas';
import type { Aeropuerto, Leg, Pasajero } from './objetos-valor';

export { MinimoUnElemento } from '../../../seedwork/dominio/reglas';

/** A reserva has at least one itinerario. */
export class MinimoUnItinerario extends ReglaNegocio {
  constructor(
    private readonly itinerarios: readonly unknown[] | undefined,
    campo = 'itinerarios',
  ) {
    super('MinimoUnItinerario', 'la reserva debe tener al menos un itinerario', campo);
  }

  esValido(): boolean {
    return Array.isArray(this.itinerarios) && this.itinerarios.length > 0;
  }
}

/** A route's origen differs from its destino. */
export class RutaValida extends ReglaNegocio {
  constructor(
    private readonly origen: Aeropuerto,
    private readonly destino: Aeropuerto,
    campo: string,
  ) {
    super('RutaValida', `el origen (${origen.codigo}) y el destino (${destino.codigo}) deben ser distintos`, campo);
  }

  esValido(): boolean {
    return this.origen.codigo !== this.destino.codigo;
  }
}

/** A leg arrives strictly after it departs. */
export class LlegadaPosteriorASalida extends ReglaNegocio {
  constructor(
    private readonly salida: Date,
    private readonly llegada: Date,
    campo: string,
  ) {
    super('LlegadaPosteriorASalida', 'la fecha de llegada debe ser posterior a la de salida', campo);
  }

  esValido(): boolean {
    return this.llegada.getTime() > this.salida.getTime();
  }
}

/** Within a segmento, leg n+1 leaves from the airport where leg n arrived. */
export class LegsConsecutivosConectan extends ReglaNegocio {
  constructor(
    private readonly anterior: Leg,
    private readonly siguiente: Leg,
    campo: string,
  ) {
    super('LegsConsecutivosConectan', `el leg debe salir de ${anterior.destino.codigo}, donde llega el leg anterior (sale de ${siguiente.origen.codigo})`, campo);
  }

  esValido(): boolean {
    return this.siguiente.origen.codigo === this.anterior.destino.codigo;
  }
}

/** Within a segmento, leg n+1 does not leave before leg n arrives. */
export class LegsConsecutivosEnOrden extends ReglaNegocio {
  constructor(
    private readonly anterior: Leg,
    private readonly siguiente: Leg,
    campo: string,
  ) {
    super('LegsConsecutivosEnOrden', 'el leg no puede salir antes de que llegue el leg anterior', campo);
  }

  esValido(): boolean {
    return this.siguiente.fechaSalida.getTime() >= this.anterior.fechaLlegada.getTime();
  }
}

/** An airport code is three upper-case letters (IATA). */
export class CodigoIATAValido extends ReglaNegocio {
  constructor(
    private readonly codigo: unknown,
    campo: string,
  ) {
    super('CodigoIATAValido', 'el código de aeropuerto debe ser de 3 letras mayúsculas (IATA)', campo);
  }

  esValido(): boolean {
    return typeof this.codigo === 'string' && /^[A-Z]{3}$/.test(this.codigo);
  }
}

export const LONGITUD_MAXIMA_NOMBRE = 200;

/** A name is non-blank and bounded. */
export class NombreValido extends ReglaNegocio {
  constructor(
    private readonly nombreAeropuerto: unknown,
    campo: string,
  ) {
    super('NombreValido', `el nombre no puede estar vacío ni tener más de ${LONGITUD_MAXIMA_NOMBRE} caracteres`, campo);
  }

  esValido(): boolean {
    const n = this.nombreAeropuerto;
    return typeof n === 'string' && n.trim().length > 0 && n.length <= LONGITUD_MAXIMA_NOMBRE;
  }
}

/** A date is a real instant. */
export class FechaValida extends ReglaNegocio {
  constructor(
    private readonly fecha: unknown,
    campo: string,
  ) {
    super('FechaValida', 'la fecha debe ser una fecha UTC válida (YYYY-MM-DDTHH:MM:SSZ)', campo);
  }

  esValido(): boolean {
    return this.fecha instanceof Date && !Number.isNaN(this.fecha.getTime());
  }
}

/** Where passengers are given, at least one of them is an adult. */
export class MinimoUnAdulto extends ReglaNegocio {
  constructor(
    private readonly pasajeros: readonly Pasajero[],
    campo = 'pasajeros',
  ) {
    super('MinimoUnAdulto', 'debe viajar al menos un adulto', campo);
  }

  esValido(): boolean {
    return this.pasajeros.some((p) => p.tipo === 'Adulto');
  }
}

/** A value belongs to a closed list (clase and tipo of a pasajero). */
export class ValorPermitido extends ReglaNegocio {
  constructor(
    nombre: string,
    private readonly valor: unknown,
    private readonly permitidos: readonly string[],
    campo: string,
  ) {
    super(nombre, `debe ser uno de: ${permitidos.join(', ')}`, campo);
  }

  esValido(): boolean {
    return typeof this.valor === 'string' && this.permitidos.includes(this.valor);
  }
}
