import type { Type, types } from 'avsc';
import { TIPOS_COMANDO_RESERVA, esTipoComandoReserva } from './comandos';
import { ESTADOS_RESERVA, esEstadoReserva } from './estados-reserva';
import { TIPOS_EVENTO_RESERVA, esTipoEventoReserva, type TipoEventoReserva } from './eventos';
import { tipoAvro } from './esquemas';
import { TOPICO_COMANDOS_RESERVA, TOPICO_EVENTOS_RESERVA, TOPICOS, type Topico } from './topicos';

/** One reason a message breaks the contract: the field (path inside `data`) and the rule. */
export interface ErrorValidacion {
  campo: string;
  regla: string;
}

/**
 * At most this many errors are listed for a rejected request or message (REST, gRPC, broker), and
 * the validation stops there: its cost does not grow with the number of violations.
 */
export const MAXIMO_ERRORES = 50;

/** C0 and C1 controls (DEL too), Unicode format characters (Cf: bidi overrides, zero widths, BOM), lone surrogates. */
const NO_IMPRIMIBLE = /[\p{Cc}\p{Cf}\p{Cs}]/u;

/** The rule a name breaks when it has a character `esTextoImprimible` refuses. */
export const REGLA_TEXTO_IMPRIMIBLE = 'no puede contener caracteres de control (C0/C1), de formato (Unicode Cf) ni sustitutos sueltos';

/**
 * A name as people read it: no control, format or lone surrogate character. JSON.parse turns an
 * escape like "\ud800" into a lone surrogate, which no UTF-8 store keeps as it came.
 */
export function esTextoImprimible(texto: string): boolean {
  return !NO_IMPRIMIBLE.test(texto);
}

/** An integer in a query string as written: "0", "1", "20", "-3"; not "01", "+3", " 2", "1e3", "0x10", "1.0". */
export function esEnteroCanonico(texto: string): boolean {
  return /^(?:0|-?[1-9][0-9]*)$/.test(texto);
}

/** The epoch-millis fields of the v1 contracts: times of messages, reservas and legs. */
const CAMPOS_FECHA = /^(fecha_\w+|time|ingestion)$/;
/** 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59.999Z: what ISO 8601 with four-digit years (the REST API) can write. */
const FECHA_MINIMA_MS = -62135596800000;
const FECHA_MAXIMA_MS = 253402300799999;
const REGLA_FECHA = 'fecha fuera de rango: epoch millis de los años 1 a 9999';

/** Whether an epoch-millis value is a date the REST API can write (years 1 to 9999). */
export function esFechaRepresentable(ms: number): boolean {
  return Number.isInteger(ms) && ms >= FECHA_MINIMA_MS && ms <= FECHA_MAXIMA_MS;
}

/** Thrown inside a walk when MAXIMO_ERRORES are collected: the walk stops there. */
class Tope extends Error {}

/** `errores` with a push that stops the walk (throws Tope) once MAXIMO_ERRORES are in. */
function agregar(errores: ErrorValidacion[], error: ErrorValidacion): void {
  errores.push(error);
  if (errores.length >= MAXIMO_ERRORES) throw new Tope();
}

/** Runs `recorrer`, which adds with `agregar`; a Tope ends it early with what it has. */
function hastaElTope(errores: ErrorValidacion[], recorrer: () => void): ErrorValidacion[] {
  try {
    recorrer();
  } catch (error) {
    if (!(error instanceof Tope)) throw error;
  }
  return errores;
}

/** Path like `itinerarios[0].odos[1].segmentos[0].legs[0].origen.codigo`; the record itself is `data`. */
function ruta(partes: readonly string[]): string {
  let texto = '';
  for (const parte of partes) {
    if (/^\d+$/.test(parte)) texto += `[${parte}]`;
    else texto += texto === '' ? parte : `.${parte}`;
  }
  return texto === '' ? 'data' : texto;
}

function describir(valor: unknown): string {
  if (valor === null) return 'null';
  if (Array.isArray(valor)) return 'una lista';
  if (typeof valor === 'string') return `el texto ${JSON.stringify(valor.length > 40 ? `${valor.slice(0, 40)}…` : valor)}`;
  if (typeof valor === 'number') return `el número ${valor}`;
  if (typeof valor === 'object') return 'un objeto';
  return String(typeof valor);
}

function nombreCorto(tipo: Type): string {
  return (tipo.name ?? '').split('.').pop() ?? '';
}

function reglaDeTipo(tipo: Type, valor: unknown): string {
  switch (tipo.typeName) {
    case 'string':
      return `debe ser un texto (Avro string); se recibió ${describir(valor)}`;
    case 'long':
      return typeof valor === 'number'
        ? `debe ser un entero seguro (Avro long); se recibió ${describir(valor)}`
        : `debe ser un número entero (Avro long); se recibió ${describir(valor)}`;
    case 'array':
      return `debe ser una lista (Avro array); se recibió ${describir(valor)}`;
    case 'record':
      return `debe ser un objeto (registro ${nombreCorto(tipo)}); se recibió ${describir(valor)}`;
    default:
      return `no cumple el tipo Avro ${tipo.typeName}`;
  }
}

/**
 * Checks a JSON value against the topic's v1 record: types, no field outside the schema, names
 * (`nombre`) without control or format characters. At most MAXIMO_ERRORES, and the walk stops there.
 */
export function validarEsquema(topico: Topico, datos: unknown): ErrorValidacion[] {
  if (!(TOPICOS as readonly string[]).includes(topico)) {
    return [{ campo: 'topic', regla: `tópico sin esquema v1: ${String(topico)}; tópicos: ${TOPICOS.join(', ')}` }];
  }
  const tipo = tipoAvro(topico);
  const errores: ErrorValidacion[] = [];
  return hastaElTope(errores, () => {
    tipo.isValid(datos, {
      errorHook(partes, valor, tipoCampo) {
        agregar(errores, { campo: ruta(partes), regla: reglaDeTipo(tipoCampo, valor) });
      },
    });
    recorrerRegistros(tipo, datos, [], topico, errores);
  });
}

/**
 * What avsc's check lets through: it stops at the first record with an undeclared field (this walk
 * names every one), it takes an array for a record whose fields all have defaults, and it has no
 * rule for the characters of a name.
 */
function recorrerRegistros(tipo: Type, valor: unknown, partes: string[], topico: Topico, errores: ErrorValidacion[]): void {
  if (tipo.typeName === 'array' && Array.isArray(valor)) {
    const items = (tipo as types.ArrayType).itemsType;
    valor.forEach((item, indice) => recorrerRegistros(items, item, [...partes, String(indice)], topico, errores));
    return;
  }
  if (tipo.typeName !== 'record' || valor === null || typeof valor !== 'object') return;
  if (Array.isArray(valor)) {
    agregar(errores, { campo: ruta(partes), regla: reglaDeTipo(tipo, valor) });
    return;
  }
  const campos = new Map((tipo as types.RecordType).fields.map((campo) => [campo.name, campo.type] as const));
  for (const [clave, valorCampo] of Object.entries(valor)) {
    const tipoCampo = campos.get(clave);
    if (tipoCampo === undefined) {
      agregar(errores, {
        campo: ruta([...partes, clave]),
        regla: `campo no declarado en el esquema v1 de ${topico} (registro ${nombreCorto(tipo)})`,
      });
    } else if (clave === 'nombre' && typeof valorCampo === 'string' && !esTextoImprimible(valorCampo)) {
      agregar(errores, { campo: ruta([...partes, clave]), regla: REGLA_TEXTO_IMPRIMIBLE });
    } else if (tipoCampo.typeName === 'long' && CAMPOS_FECHA.test(clave) && typeof valorCampo === 'number' && !esFechaRepresentable(valorCampo)) {
      // A valid Avro long that no date (nor the REST API's ISO 8601) can hold: never convertible.
      agregar(errores, { campo: ruta([...partes, clave]), regla: REGLA_FECHA });
    } else {
      recorrerRegistros(tipoCampo, valorCampo, [...partes, clave], topico, errores);
    }
  }
}

type Registro = Record<string, unknown>;

function exigirTexto(registro: Registro, campo: string, errores: ErrorValidacion[]): void {
  const valor = registro[campo];
  if (typeof valor !== 'string' || valor.trim() === '') {
    errores.push({ campo, regla: 'obligatorio: no puede faltar ni estar vacío' });
  }
}

function exigirPositivo(registro: Registro, campo: string, errores: ErrorValidacion[]): void {
  const valor = registro[campo];
  if (typeof valor !== 'number' || valor <= 0) {
    errores.push({ campo, regla: 'obligatorio: epoch millis mayor que 0' });
  }
}

function prohibirNegativos(registro: Registro, campos: readonly string[], errores: ErrorValidacion[]): void {
  for (const campo of campos) {
    const valor = registro[campo];
    if (typeof valor === 'number' && valor < 0) errores.push({ campo, regla: 'no puede ser negativo' });
  }
}

/** Only fields that passed the Avro check get the semantic rules (one error per field). */
function sinErroresPrevios(errores: ErrorValidacion[], reglas: (errores: ErrorValidacion[]) => void): ErrorValidacion[] {
  const nuevos: ErrorValidacion[] = [];
  reglas(nuevos);
  const yaInformados = new Set(errores.map((error) => error.campo));
  return [...errores, ...nuevos.filter((error) => !yaInformados.has(error.campo))];
}

/**
 * What every message of a topic must satisfy: a known CloudEvent `type`, the Avro v1 record (types,
 * no undeclared fields, printable names), a message id and a reserva id, no negative times; then
 * `reglas`, the message's own. Errors of a field the schema already reported are not repeated; at
 * most MAXIMO_ERRORES.
 */
function validarRegistro(
  topico: Topico,
  tipo: { valido: boolean; que: string; conocidos: readonly string[] },
  valor: unknown,
  datos: unknown,
  camposNoNegativos: string[],
  reglas: (registro: Registro, errores: ErrorValidacion[]) => void = () => undefined,
): ErrorValidacion[] {
  const errores: ErrorValidacion[] = [];
  if (!tipo.valido) {
    errores.push({ campo: 'type', regla: `${tipo.que} desconocido ${describir(valor)}; se espera uno de: ${tipo.conocidos.join(', ')}` });
  }
  const deEsquema = validarEsquema(topico, datos);
  if (datos === null || typeof datos !== 'object' || Array.isArray(datos)) return [...errores, ...deEsquema].slice(0, MAXIMO_ERRORES);
  const registro = datos as Registro;
  return [
    ...errores,
    ...sinErroresPrevios(deEsquema, (nuevos) => {
      exigirTexto(registro, 'id_mensaje', nuevos);
      exigirTexto(registro, 'id_reserva', nuevos);
      prohibirNegativos(registro, camposNoNegativos, nuevos);
      reglas(registro, nuevos);
    }),
  ].slice(0, MAXIMO_ERRORES);
}

/**
 * Validates an event of `eventos-reserva`: the CloudEvent `type` and the `data` record (Avro v1
 * types, no undeclared fields, then what each event type needs). Never throws.
 */
export function validarEventoReserva(tipo: unknown, datos: unknown): ErrorValidacion[] {
  return validarRegistro(
    TOPICO_EVENTOS_RESERVA,
    { valido: esTipoEventoReserva(tipo), que: 'tipo de evento', conocidos: TIPOS_EVENTO_RESERVA },
    tipo,
    datos,
    ['version_agregado', 'time', 'ingestion'],
    (registro, errores) => {
      if (esTipoEventoReserva(tipo)) reglasDeEvento(tipo, registro, errores);
    },
  );
}

function reglasDeEvento(tipo: TipoEventoReserva, registro: Registro, errores: ErrorValidacion[]): void {
  switch (tipo) {
    case 'ReservaCreada':
      if (!esEstadoReserva(registro['estado'])) {
        errores.push({ campo: 'estado', regla: `ReservaCreada exige un estado de: ${ESTADOS_RESERVA.join(', ')}` });
      }
      exigirPositivo(registro, 'fecha_creacion', errores);
      break;
    case 'ReservaAprobada':
    case 'ReservaCancelada':
    case 'ReservaPagada':
      exigirPositivo(registro, 'fecha_actualizacion', errores);
      break;
    case 'ReservaRechazada':
      exigirTexto(registro, 'motivo', errores);
      break;
  }
}

/**
 * Validates a command of `comandos-reserva` (`ComandoCrearReserva`): Avro v1 types, no undeclared
 * fields, message id and reserva id present, times not negative. Business rules (at least one
 * itinerario, origen ≠ destino, arrival after departure) are the domain's: a command that breaks
 * them is valid here and is answered with a ReservaRechazada event. Never throws.
 */
export function validarComandoCrearReserva(datos: unknown, tipo: unknown = TIPOS_COMANDO_RESERVA[0]): ErrorValidacion[] {
  return validarRegistro(TOPICO_COMANDOS_RESERVA, { valido: esTipoComandoReserva(tipo), que: 'tipo de comando', conocidos: TIPOS_COMANDO_RESERVA }, tipo, datos, [
    'time',
    'ingestion',
  ]);
}

/**
 * Validates a message of any v1 topic as a subscriber receives it: the CloudEvent `type`, its
 * `data`, and (when given) that the CloudEvent id equals `data.id_mensaje`. Never throws.
 */
export function validarMensaje(topico: string, tipo: unknown, datos: unknown, idCloudEvent?: string): ErrorValidacion[] {
  let errores: ErrorValidacion[];
  switch (topico) {
    case TOPICO_EVENTOS_RESERVA:
      errores = validarEventoReserva(tipo, datos);
      break;
    case TOPICO_COMANDOS_RESERVA:
      errores = validarComandoCrearReserva(datos, tipo);
      break;
    default:
      return [{ campo: 'topic', regla: `tópico sin esquema v1: ${JSON.stringify(topico)}; tópicos: ${TOPICOS.join(', ')}` }];
  }
  if (idCloudEvent !== undefined && datos !== null && typeof datos === 'object') {
    const idMensaje = (datos as Registro)['id_mensaje'];
    if (typeof idMensaje === 'string' && idMensaje !== '' && idMensaje !== idCloudEvent && errores.length < MAXIMO_ERRORES) {
      errores.push({ campo: 'id_mensaje', regla: `debe ser igual al id del CloudEvent (${idCloudEvent})` });
    }
  }
  return errores;
}
