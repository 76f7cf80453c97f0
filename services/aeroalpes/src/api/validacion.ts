/**
 * The REST API's validator: the JSON Schemas of api/esquemas.ts, checked by a walk that stops at
 * MAXIMO_ERRORES and never walks into an array longer than its `maxItems`, so its cost follows the
 * size of the request (each value is read once), never the number of its violations. It knows the keywords those schemas use, and refuses any other
 * when a schema is compiled (ajv's strict mode, in small); the tests still check every schema with
 * ajv (app.test.ts), so they stay standard JSON Schema for /spec.
 */
import { esEnteroCanonico, esTextoImprimible, MAXIMO_ERRORES, REGLA_TEXTO_IMPRIMIBLE } from '@aeroalpes/contratos';
import { esFechaUTC } from '../seedwork/aplicacion/fechas';
import { Esquema } from './esquemas';

export { MAXIMO_ERRORES };

export interface ErrorCampo {
  campo: string;
  regla: string;
  mensaje: string;
}

export type Validacion<T> = { ok: true; valor: T } | { ok: false; errores: ErrorCampo[] };

const MAXIMO_CAMPO = 120;

export const PATRON_UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** The `format`s the schemas use: the one definition (the tests give the same to ajv). */
export const FORMATOS: Readonly<Record<string, { validar: (texto: string) => boolean; mensaje: string }>> = {
  'date-time': { validar: esFechaUTC, mensaje: 'debe ser una fecha UTC válida con el formato YYYY-MM-DDTHH:MM:SSZ' },
  uuid: { validar: (s) => PATRON_UUID.test(s), mensaje: 'debe ser un UUID' },
  'texto-imprimible': { validar: esTextoImprimible, mensaje: REGLA_TEXTO_IMPRIMIBLE },
};

export class Validador<T> {
  readonly #comprobar: Comprobacion;

  /** `parametros`: a query string (every value arrives as text): canonical integers are read as numbers, defaults filled in. */
  constructor(
    readonly esquema: Esquema,
    opciones: { parametros?: boolean } = {},
  ) {
    this.#comprobar = compilar(esquema, opciones.parametros === true);
  }

  validar(datos: unknown): Validacion<T> {
    const errores: ErrorCampo[] = [];
    let valor: unknown;
    try {
      valor = this.#comprobar(datos, undefined, errores);
    } catch (error) {
      if (!(error instanceof Tope)) throw error;
    }
    return errores.length === 0 ? { ok: true, valor: valor as T } : { ok: false, errores };
  }
}

/** Where a value sits: built only when an error is reported. */
type Ruta = { padre: Ruta; parte: string | number } | undefined;

/** Checks a value, adds its errors, returns it (a query string's integer read as a number). */
type Comprobacion = (valor: unknown, ruta: Ruta, errores: ErrorCampo[]) => unknown;

/** Thrown when MAXIMO_ERRORES are in: the walk ends there. */
class Tope extends Error {}

function agregar(errores: ErrorCampo[], ruta: Ruta, regla: string, mensaje: string): void {
  errores.push({ campo: recortar(campoDe(ruta)), regla, mensaje });
  if (errores.length >= MAXIMO_ERRORES) throw new Tope();
}

const PALABRAS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'enum',
  'minimum',
  'maximum',
  'default',
  'description',
  'examples',
]);

const TIPOS: Record<string, { es: (v: unknown) => boolean; nombre: string }> = {
  object: { es: (v) => typeof v === 'object' && v !== null && !Array.isArray(v), nombre: 'un objeto' },
  array: { es: Array.isArray, nombre: 'una lista' },
  string: { es: (v) => typeof v === 'string', nombre: 'un texto' },
  integer: { es: Number.isInteger, nombre: 'un entero' },
  number: { es: (v) => typeof v === 'number' && Number.isFinite(v), nombre: 'un número' },
  boolean: { es: (v) => typeof v === 'boolean', nombre: 'un booleano' },
};

function compilar(esquema: Esquema, parametros: boolean): Comprobacion {
  for (const palabra of Object.keys(esquema)) {
    if (!PALABRAS.has(palabra)) throw new Error(`esquema: palabra clave no soportada '${palabra}'`);
  }
  const tipo = TIPOS[String(esquema.type)];
  if (!tipo) throw new Error(`esquema: tipo no soportado '${String(esquema.type)}'`);
  const local = comprobacionesDe(esquema, parametros);
  const entero = esquema.type === 'integer' && parametros;
  return (valor, ruta, errores) => {
    // A query string's integer is text: only its canonical form ("1", "20") is read as a number.
    const leido = entero && typeof valor === 'string' && esEnteroCanonico(valor) ? Number(valor) : valor;
    if (!tipo.es(leido)) {
      const mensaje = entero ? 'debe ser un entero escrito en decimal, sin ceros a la izquierda, signo + ni espacios (como 1 o 20)' : `debe ser ${tipo.nombre}`;
      agregar(errores, ruta, 'type', mensaje);
      return leido;
    }
    return local(leido, ruta, errores);
  };
}

/** The keywords of one type, as one check. */
function comprobacionesDe(esquema: Esquema, parametros: boolean): Comprobacion {
  switch (esquema.type) {
    case 'object':
      return objeto(esquema, parametros);
    case 'array':
      return lista(esquema, parametros);
    case 'string':
      return texto(esquema);
    case 'integer':
    case 'number':
      return numero(esquema);
    default:
      return (valor) => valor;
  }
}

function objeto(esquema: Esquema, parametros: boolean): Comprobacion {
  const propiedades = new Map(
    Object.entries((esquema.properties ?? {}) as Record<string, Esquema>).map(([n, e]) => [n, { comprobar: compilar(e, parametros), porDefecto: e.default }] as const),
  );
  const obligatorios = (esquema.required ?? []) as string[];
  const cerrado = esquema.additionalProperties === false;
  // A field set to undefined is absent (as for ajv): a translated message may carry one.
  const presente = (registro: Record<string, unknown>, nombre: string) => Object.hasOwn(registro, nombre) && registro[nombre] !== undefined;
  return (valor, ruta, errores) => {
    const registro = valor as Record<string, unknown>;
    for (const nombre of obligatorios) if (!presente(registro, nombre)) agregar(errores, { padre: ruta, parte: nombre }, 'required', 'campo obligatorio ausente');
    if (cerrado) {
      for (const clave of Object.keys(registro)) if (!propiedades.has(clave)) agregar(errores, { padre: ruta, parte: clave }, 'additionalProperties', 'campo no permitido');
    }
    for (const [nombre, { comprobar, porDefecto }] of propiedades) {
      if (presente(registro, nombre)) {
        const leido = comprobar(registro[nombre], { padre: ruta, parte: nombre }, errores);
        if (parametros) registro[nombre] = leido;
      } else if (parametros && porDefecto !== undefined) {
        registro[nombre] = porDefecto;
      }
    }
    return registro;
  };
}

function lista(esquema: Esquema, parametros: boolean): Comprobacion {
  const minimo = esquema.minItems as number | undefined;
  const maximo = esquema.maxItems as number | undefined;
  const elemento = esquema.items ? compilar(esquema.items as Esquema, parametros) : undefined;
  return (valor, ruta, errores) => {
    const elementos = valor as unknown[];
    if (minimo !== undefined && elementos.length < minimo) agregar(errores, ruta, 'minItems', `debe tener al menos ${minimo} elemento(s)`);
    // Its size first: a list over its maximum is not walked (87,000 legs cost one comparison).
    if (maximo !== undefined && elementos.length > maximo) {
      agregar(errores, ruta, 'maxItems', `debe tener como máximo ${maximo} elementos`);
      return elementos;
    }
    if (elemento) for (let i = 0; i < elementos.length; i++) elemento(elementos[i], { padre: ruta, parte: i }, errores);
    return elementos;
  };
}

function texto(esquema: Esquema): Comprobacion {
  const minimo = esquema.minLength as number | undefined;
  const maximo = esquema.maxLength as number | undefined;
  const patron = typeof esquema.pattern === 'string' ? new RegExp(esquema.pattern, 'u') : undefined;
  const valores = esquema.enum as unknown[] | undefined;
  const formato = esquema.format === undefined ? undefined : FORMATOS[String(esquema.format)];
  if (esquema.format !== undefined && !formato) throw new Error(`esquema: formato desconocido '${String(esquema.format)}'`);
  return (valor, ruta, errores) => {
    const s = valor as string;
    if (minimo !== undefined && puntosDeCodigo(s, minimo) < minimo) agregar(errores, ruta, 'minLength', `debe tener al menos ${minimo} carácter(es)`);
    if (maximo !== undefined && puntosDeCodigo(s, maximo + 1) > maximo) agregar(errores, ruta, 'maxLength', `debe tener como máximo ${maximo} caracteres`);
    if (patron && !patron.test(s)) agregar(errores, ruta, 'pattern', mensajePatron(ruta, String(esquema.pattern)));
    if (formato && !formato.validar(s)) agregar(errores, ruta, 'format', formato.mensaje);
    if (valores && !valores.includes(s)) agregar(errores, ruta, 'enum', `debe ser uno de: ${valores.map(String).join(', ')}`);
    return s;
  };
}

function numero(esquema: Esquema): Comprobacion {
  const minimo = esquema.minimum as number | undefined;
  const maximo = esquema.maximum as number | undefined;
  return (valor, ruta, errores) => {
    const n = valor as number;
    if (minimo !== undefined && n < minimo) agregar(errores, ruta, 'minimum', `debe ser mayor o igual que ${minimo}`);
    if (maximo !== undefined && n > maximo) agregar(errores, ruta, 'maximum', `debe ser menor o igual que ${maximo}`);
    return n;
  };
}

/** Code points of `s` (what JSON Schema lengths count), counted up to `tope` at most. */
function puntosDeCodigo(s: string, tope: number): number {
  let n = 0;
  for (let i = 0; i < s.length && n < tope; n++) i += (s.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
  return n;
}

function mensajePatron(ruta: Ruta, patron: string): string {
  return ruta?.parte === 'codigo' ? 'debe ser un código IATA de 3 letras mayúsculas' : `no cumple el patrón ${patron}`;
}

/** `itinerarios[0].odos[0]...origen.codigo`; a name that is not an identifier goes in brackets (`["$where"]`). */
function campoDe(ruta: Ruta): string {
  const partes: (string | number)[] = [];
  for (let r = ruta; r; r = r.padre) partes.push(r.parte);
  let campo = '';
  for (const parte of partes.reverse()) campo = typeof parte === 'number' ? `${campo}[${parte}]` : unirCampo(campo, parte);
  return campo || '(cuerpo)';
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
