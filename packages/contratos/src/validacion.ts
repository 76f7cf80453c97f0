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

/** Checks a JSON value against the topic's v1 record: types, and no field outside the schema. */
export function validarEsquema(topico: Topico, datos: unknown): ErrorValidacion[] {
  if (!(TOPICOS as readonly string[]).includes(topico)) {
    return [{ campo: 'topic', regla: `tópico sin esquema v1: ${String(topico)}; tópicos: ${TOPICOS.join(', ')}` }];
  }
  const tipo = tipoAvro(topico);
  const errores: ErrorValidacion[] = [];
  tipo.isValid(datos, {
    errorHook(partes, valor, tipoCampo) {
      errores.push({ campo: ruta(partes), regla: reglaDeTipo(tipoCampo, valor) });
    },
  });
  camposNoDeclarados(tipo, datos, [], topico, errores);
  return errores;
}

/**
 * What avsc's check lets through: it stops at the first record with an undeclared field (this walk
 * names every one), and it takes an array for a record whose fields all have defaults.
 */
function camposNoDeclarados(tipo: Type, valor: unknown, partes: string[], topico: Topico, errores: ErrorValidacion[]): void {
  if (tipo.typeName === 'array' && Array.isArray(valor)) {
    const items = (tipo as types.ArrayType).itemsType;
    valor.forEach((item, indice) => camposNoDeclarados(items, item, [...partes, String(indice)], topico, errores));
    return;
  }
  if (tipo.typeName !== 'record' || valor === null || typeof valor !== 'object') return;
  if (Array.isArray(valor)) {
    errores.push({ campo: ruta(partes), regla: reglaDeTipo(tipo, valor) });
    return;
  }
  const campos = new Map((tipo as types.RecordType).fields.map((campo) => [campo.name, campo.type] as const));
  for (const [clave, valorCampo] of Object.entries(valor)) {
    const tipoCampo = campos.get(clave);
    if (tipoCampo === undefined) {
      errores.push({
        campo: ruta([...partes, clave]),
        regla: `campo no declarado en el esquema v1 de ${topico} (registro ${nombreCorto(tipo)})`,
      });
    } else {
      camposNoDeclarados(tipoCampo, valorCampo, [...partes, clave], topico, errores);
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
 * no undeclared fields), a message id and a reserva id, no negative times; then `reglas`, the
 * message's own. Errors of a field the schema already reported are not repeated.
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
  if (datos === null || typeof datos !== 'object' || Array.isArray(datos)) return [...errores, ...deEsquema];
  const registro = datos as Registro;
  return [
    ...errores,
    ...sinErroresPrevios(deEsquema, (nuevos) => {
      exigirTexto(registro, 'id_mensaje', nuevos);
      exigirTexto(registro, 'id_reserva', nuevos);
      prohibirNegativos(registro, camposNoNegativos, nuevos);
      reglas(registro, nuevos);
    }),
  ];
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
    if (typeof idMensaje === 'string' && idMensaje !== '' && idMensaje !== idCloudEvent) {
      errores.push({ campo: 'id_mensaje', regla: `debe ser igual al id del CloudEvent (${idCloudEvent})` });
    }
  }
  return errores;
}
