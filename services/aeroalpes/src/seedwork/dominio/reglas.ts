import { ReglaNegocioExcepcion } from './excepciones';

/**
 * A business rule: a name (shown to API clients, e.g. `RutaValida`), a message, the path of the
 * field it is about (e.g. `itinerarios[0].odos[0].segmentos[0].legs[0].destino.codigo`) and a
 * predicate. Rules are small objects so they can be tested one by one and listed in errors.
 */
export abstract class ReglaNegocio {
  protected constructor(
    readonly nombre: string,
    readonly mensaje: string,
    readonly campo: string,
  ) {}

  abstract esValido(): boolean;
}

/** Throws ReglaNegocioExcepcion when the rule does not hold (the seed's `validar_regla`). */
export function validarRegla(regla: ReglaNegocio): void {
  if (!regla.esValido()) throw new ReglaNegocioExcepcion(regla.nombre, regla.mensaje, regla.campo);
}

/** Validates rules in order and stops at the first violation. */
export function validarReglas(...reglas: ReglaNegocio[]): void {
  for (const regla of reglas) validarRegla(regla);
}

/** Generic rule: a collection must hold at least one element (MinimoUnItinerario, MinimoUnLeg, ...). */
export class MinimoUnElemento extends ReglaNegocio {
  constructor(
    nombre: string,
    private readonly coleccion: readonly unknown[] | undefined,
    campo: string,
    mensaje = `${campo || 'la colección'} debe tener al menos un elemento`,
  ) {
    super(nombre, mensaje, campo);
  }

  esValido(): boolean {
    return Array.isArray(this.coleccion) && this.coleccion.length > 0;
  }
}
