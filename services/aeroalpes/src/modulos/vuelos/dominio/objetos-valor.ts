import { ObjetoValor } from '../../../seedwork/dominio/objetos-valor';
import {
  CodigoIATAValido,
  FechaValida,
  LegsConsecutivosConectan,
  LegsConsecutivosEnOrden,
  LlegadaPosteriorASalida,
  MinimoUnElemento,
  NombreValido,
  RutaValida,
  ValorPermitido,
} from './reglas';

/**
 * Value objects of the vuelos module. Each `crear` validates its rules and takes the path of the
 * field it comes from (e.g. `itinerarios[0].odos[1]`), so a violation names the field.
 */

export class CodigoIATA extends ObjetoValor<{ valor: string }> {
  private constructor(valor: string) {
    super({ valor });
  }

  static crear(valor: string, campo = 'codigo'): CodigoIATA {
    ObjetoValor.validar(new CodigoIATAValido(valor, campo));
    return new CodigoIATA(valor);
  }

  get valor(): string {
    return this.props.valor;
  }
}

/** An airport (a Locacion): IATA code and name. */
export class Aeropuerto extends ObjetoValor<{ codigo: CodigoIATA; nombre: string }> {
  private constructor(codigo: CodigoIATA, nombre: string) {
    super({ codigo, nombre });
  }

  static crear(props: { codigo: string; nombre: string }, campo = ''): Aeropuerto {
    const codigo = CodigoIATA.crear(props.codigo, unir(campo, 'codigo'));
    ObjetoValor.validar(new NombreValido(props.nombre, unir(campo, 'nombre')));
    return new Aeropuerto(codigo, props.nombre);
  }

  get codigo(): string {
    return this.props.codigo.valor;
  }

  get nombre(): string {
    return this.props.nombre;
  }
}

export interface PropsLeg {
  fechaSalida: Date;
  fechaLlegada: Date;
  origen: Aeropuerto;
  destino: Aeropuerto;
}

export class Leg extends ObjetoValor<PropsLeg> {
  private constructor(props: PropsLeg) {
    super(props);
  }

  static crear(props: PropsLeg, campo = ''): Leg {
    ObjetoValor.validar(new FechaValida(props.fechaSalida, unir(campo, 'fecha_salida')));
    ObjetoValor.validar(new FechaValida(props.fechaLlegada, unir(campo, 'fecha_llegada')));
    ObjetoValor.validar(new RutaValida(props.origen, props.destino, unir(campo, 'destino.codigo')));
    ObjetoValor.validar(new LlegadaPosteriorASalida(props.fechaSalida, props.fechaLlegada, unir(campo, 'fecha_llegada')));
    return new Leg(props);
  }

  get fechaSalida(): Date {
    return new Date(this.props.fechaSalida.getTime());
  }

  get fechaLlegada(): Date {
    return new Date(this.props.fechaLlegada.getTime());
  }

  get origen(): Aeropuerto {
    return this.props.origen;
  }

  get destino(): Aeropuerto {
    return this.props.destino;
  }
}

export class Segmento extends ObjetoValor<{ legs: readonly Leg[] }> {
  private constructor(legs: readonly Leg[]) {
    super({ legs });
  }

  static crear(legs: readonly Leg[], campo = ''): Segmento {
    ObjetoValor.validar(new MinimoUnElemento('MinimoUnLeg', legs, unir(campo, 'legs'), 'el segmento debe tener al menos un leg'));
    for (let i = 1; i < legs.length; i++) {
      const anterior = legs[i - 1] as Leg;
      const siguiente = legs[i] as Leg;
      ObjetoValor.validar(new LegsConsecutivosConectan(anterior, siguiente, unir(campo, `legs[${i}].origen.codigo`)));
      ObjetoValor.validar(new LegsConsecutivosEnOrden(anterior, siguiente, unir(campo, `legs[${i}].fecha_salida`)));
    }
    return new Segmento(legs);
  }

  get legs(): readonly Leg[] {
    return this.props.legs;
  }

  get origen(): Aeropuerto {
    return (this.props.legs[0] as Leg).origen;
  }

  get destino(): Aeropuerto {
    return (this.props.legs[this.props.legs.length - 1] as Leg).destino;
  }
}

/** Origin-destination option: one or more segmentos. */
export class Odo extends ObjetoValor<{ segmentos: readonly Segmento[] }> {
  private constructor(segmentos: readonly Segmento[]) {
    super({ segmentos });
  }

  static crear(segmentos: readonly Segmento[], campo = ''): Odo {
    ObjetoValor.validar(new MinimoUnElemento('MinimoUnSegmento', segmentos, unir(campo, 'segmentos'), 'el odo debe tener al menos un segmento'));
    return new Odo(segmentos);
  }

  get segmentos(): readonly Segmento[] {
    return this.props.segmentos;
  }
}

export class Itinerario extends ObjetoValor<{ odos: readonly Odo[] }> {
  private constructor(odos: readonly Odo[]) {
    super({ odos });
  }

  static crear(odos: readonly Odo[], campo = ''): Itinerario {
    ObjetoValor.validar(new MinimoUnElemento('MinimoUnOdo', odos, unir(campo, 'odos'), 'el itinerario debe tener al menos un odo'));
    return new Itinerario(odos);
  }

  get odos(): readonly Odo[] {
    return this.props.odos;
  }
}

export const CLASES_PASAJERO = ['Economica', 'Premium', 'Ejecutiva', 'Primera'] as const;
export const TIPOS_PASAJERO = ['Adulto', 'Menor', 'Infante'] as const;
export type ClasePasajero = (typeof CLASES_PASAJERO)[number];
export type TipoPasajero = (typeof TIPOS_PASAJERO)[number];

export class Pasajero extends ObjetoValor<{ clase: ClasePasajero; tipo: TipoPasajero }> {
  private constructor(clase: ClasePasajero, tipo: TipoPasajero) {
    super({ clase, tipo });
  }

  static crear(props: { clase: string; tipo: string }, campo = ''): Pasajero {
    ObjetoValor.validar(new ValorPermitido('ClasePasajeroValida', props.clase, CLASES_PASAJERO, unir(campo, 'clase')));
    ObjetoValor.validar(new ValorPermitido('TipoPasajeroValido', props.tipo, TIPOS_PASAJERO, unir(campo, 'tipo')));
    return new Pasajero(props.clase as ClasePasajero, props.tipo as TipoPasajero);
  }

  get clase(): ClasePasajero {
    return this.props.clase;
  }

  get tipo(): TipoPasajero {
    return this.props.tipo;
  }
}

/** Joins field paths: unir('itinerarios[0]', 'odos') === 'itinerarios[0].odos'. */
export function unir(base: string, campo: string): string {
  return base ? `${base}.${campo}` : campo;
}
