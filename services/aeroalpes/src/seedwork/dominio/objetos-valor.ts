import { ReglaNegocio, validarRegla } from './reglas';

/**
 * A value object: immutable (its props are copied and frozen) and equal by value. Subclasses expose
 * props through getters only (no own fields) and return copies of Dates.
 */
export abstract class ObjetoValor<P extends object> {
  protected readonly props: Readonly<P>;

  protected constructor(props: P) {
    this.props = congelar(copiar(props)) as Readonly<P>;
  }

  igual(otro: ObjetoValor<P> | undefined | null): boolean {
    return !!otro && otro.constructor === this.constructor && igualdadProfunda(this.props, otro.props);
  }

  protected static validar(regla: ReglaNegocio): void {
    validarRegla(regla);
  }
}

function copiar(valor: unknown): unknown {
  if (valor instanceof Date) return new Date(valor.getTime());
  if (valor instanceof ObjetoValor) return valor;
  if (Array.isArray(valor)) return valor.map(copiar);
  if (valor !== null && typeof valor === 'object') {
    const copia: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(valor)) copia[k] = copiar(v);
    return copia;
  }
  return valor;
}

function congelar(valor: unknown): unknown {
  if (valor instanceof Date || valor instanceof ObjetoValor) return valor;
  if (valor !== null && typeof valor === 'object') {
    for (const v of Object.values(valor)) congelar(v);
    Object.freeze(valor);
  }
  return valor;
}

/** Structural equality: Dates by time, value objects by `igual`, arrays by order, objects by keys. */
export function igualdadProfunda(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (a instanceof ObjetoValor || b instanceof ObjetoValor) {
    return a instanceof ObjetoValor && b instanceof ObjetoValor && a.igual(b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => igualdadProfunda(x, b[i]));
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => igualdadProfunda((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}
