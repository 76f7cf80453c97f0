import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { esFechaUTC } from '../seedwork/aplicacion/fechas';
import { Esquema } from './esquemas';

export interface ErrorCampo {
  campo: string;
  regla: string;
  mensaje: string;
}

export type Validacion<T> = { ok: true; valor: T } | { ok: false; errores: ErrorCampo[] };

export const MAXIMO_ERRORES = 50;
const MAXIMO_CAMPO = 120;

export const PATRON_UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function nuevoAjv(coercionTipos: boolean): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, coerceTypes: coercionTipos, useDefaults: coercionTipos });
  ajv.addFormat('date-time', { type: 'string', validate: esFechaUTC });
  ajv.addFormat('uuid', { type: 'string', validate: (s: string) => PATRON_UUID.test(s) });
  return ajv;
}

/** Bodies: no coercion ("1" is not 1). Query strings: coercion, because everything arrives as text. */
const ajvCuerpos = nuevoAjv(false);
const ajvParametros = nuevoAjv(true);

export class Validador<T> {
  readonly #validar: ValidateFunction;

  constructor(
    readonly esquema: Esquema,
    opciones: { parametros?: boolean } = {},
  ) {
    this.#validar = (opciones.parametros ? ajvParametros : ajvCuerpos).compile(esquema);
  }

  validar(datos: unknown): Validacion<T> {
    if (this.#validar(datos)) return { ok: true, valor: datos as T };
    return { ok: false, errores: traducirErrores(this.#validar.errors ?? []) };
  }
}

/** ajv errors -> `{campo: 'itinerarios[0].odos[0]...origen.codigo', regla: 'pattern', mensaje}` (Spanish). */
function traducirErrores(errores: readonly ErrorObject[]): ErrorCampo[] {
  const salida: ErrorCampo[] = [];
  const vistos = new Set<string>();
  for (const e of errores) {
    const error = { campo: recortar(campoDe(e)), regla: e.keyword, mensaje: mensajeDe(e) };
    const clave = `${error.campo}\u0000${error.regla}`;
    if (vistos.has(clave)) continue;
    vistos.add(clave);
    salida.push(error);
    if (salida.length >= MAXIMO_ERRORES) break;
  }
  return salida;
}

function campoDe(e: ErrorObject): string {
  const base = punteroACampo(e.instancePath);
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required') return unirCampo(base, String(params.missingProperty));
  if (e.keyword === 'additionalProperties') return unirCampo(base, String(params.additionalProperty));
  return base || '(cuerpo)';
}

/** JSON pointer `/itinerarios/0/odos` -> `itinerarios[0].odos`. */
function punteroACampo(puntero: string): string {
  if (!puntero) return '';
  let campo = '';
  for (const crudo of puntero.split('/').slice(1)) {
    const parte = crudo.replace(/~1/g, '/').replace(/~0/g, '~');
    campo = /^(0|[1-9][0-9]*)$/.test(parte) ? `${campo}[${parte}]` : unirCampo(campo, parte);
  }
  return campo;
}

function unirCampo(base: string, nombre: string): string {
  const simple = /^[A-Za-z_][A-Za-z0-9_]*$/.test(nombre);
  const parte = simple ? nombre : JSON.stringify(nombre);
  if (!base) return simple ? parte : `[${parte}]`;
  return simple ? `${base}.${parte}` : `${base}[${parte}]`;
}

function recortar(texto: string): string {
  return texto.length > MAXIMO_CAMPO ? `${texto.slice(0, MAXIMO_CAMPO)}…` : texto;
}

const TIPOS: Record<string, string> = {
  object: 'un objeto',
  array: 'una lista',
  string: 'un texto',
  integer: 'un entero',
  number: 'un número',
  boolean: 'un booleano',
  null: 'null',
};

function mensajeDe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return 'campo obligatorio ausente';
    case 'additionalProperties':
      return 'campo no permitido';
    case 'type':
      return `debe ser ${String(p.type)
        .split(',')
        .map((t) => TIPOS[t] ?? t)
        .join(' o ')}`;
    case 'pattern':
      return e.instancePath.endsWith('/codigo') ? 'debe ser un código IATA de 3 letras mayúsculas' : `no cumple el patrón ${String(p.pattern)}`;
    case 'format':
      return p.format === 'date-time'
        ? 'debe ser una fecha UTC válida con el formato YYYY-MM-DDTHH:MM:SSZ'
        : p.format === 'uuid'
          ? 'debe ser un UUID'
          : `no tiene el formato ${String(p.format)}`;
    case 'minItems':
      return `debe tener al menos ${String(p.limit)} elemento(s)`;
    case 'maxItems':
      return `debe tener como máximo ${String(p.limit)} elementos`;
    case 'minLength':
      return `debe tener al menos ${String(p.limit)} carácter(es)`;
    case 'maxLength':
      return `debe tener como máximo ${String(p.limit)} caracteres`;
    case 'minimum':
      return `debe ser mayor o igual que ${String(p.limit)}`;
    case 'maximum':
      return `debe ser menor o igual que ${String(p.limit)}`;
    case 'enum':
      return `debe ser uno de: ${(p.allowedValues as unknown[]).map(String).join(', ')}`;
    default:
      return e.message ?? 'valor no válido';
  }
}
