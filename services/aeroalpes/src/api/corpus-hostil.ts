/**
 * Corpus of malformed or hostile bodies for POST /vuelos/reserva and POST /vuelos/reserva-comando,
 * with the answer each must get. Nothing in it may ever be written or published.
 * Exported so the integration tests can replay it against the real server and real MongoDB:
 *
 *   for (const ruta of RUTAS_CORPUS) for (const caso of CORPUS_HOSTIL) {
 *     const r = await fetch(base + ruta, { method: 'POST', ...peticionDeCaso(caso) });
 *     // r.status === caso.esperado.estado, (await r.json()).error === caso.esperado.error, ...
 *   }
 */
import { LegDTO, SolicitudReservaDTO } from '../modulos/vuelos/aplicacion/dto';
import { copiaSolicitud, SOLICITUD_DOS_LEGS, SOLICITUD_MINIMA } from '../modulos/vuelos/aplicacion/ejemplos';

export const RUTAS_CORPUS = ['/vuelos/reserva', '/vuelos/reserva-comando'] as const;

export interface CasoHostil {
  nombre: string;
  /** Built lazily (some are megabytes). Sent as is. */
  cuerpo: () => string | Uint8Array<ArrayBuffer>;
  /** Content-Type header; default application/json; null sends none. */
  contentType?: string | null;
  cabeceras?: Record<string, string>;
  esperado: {
    estado: 400 | 413 | 415;
    error: 'validacion' | 'regla_negocio' | 'json_invalido' | 'cuerpo_demasiado_grande' | 'tipo_contenido_no_soportado';
    /** Some entry of `errores` names this field... */
    campo?: string;
    /** ...with this rule (JSON Schema keyword, or the business rule's name). */
    regla?: string;
  };
}

const LEG0 = 'itinerarios[0].odos[0].segmentos[0].legs[0]';
const LEG1 = 'itinerarios[0].odos[0].segmentos[0].legs[1]';

type Mutable = Record<string, unknown>;

/** A valid request changed by `cambiar` (which gets a deep copy), serialized. */
function con(cambiar: (s: Mutable) => void, base: SolicitudReservaDTO = SOLICITUD_MINIMA): () => string {
  return () => {
    const s = copiaSolicitud(base) as unknown as Mutable;
    cambiar(s);
    return JSON.stringify(s);
  };
}

const itinerario0 = (s: Mutable) => (s.itinerarios as Mutable[])[0] as Mutable;
const odo0 = (s: Mutable) => (itinerario0(s).odos as Mutable[])[0] as Mutable;
const segmento0 = (s: Mutable) => (odo0(s).segmentos as Mutable[])[0] as Mutable;
const leg = (s: Mutable, i = 0) => (segmento0(s).legs as Mutable[])[i] as Mutable;
const conLeg = (cambiar: (l: Mutable) => void, base?: SolicitudReservaDTO) => con((s) => cambiar(leg(s)), base);

const anidado = (profundidad: number, abrir: string, cerrar: string, centro = '0') => abrir.repeat(profundidad) + centro + cerrar.repeat(profundidad);

const legValido = (): LegDTO => structuredClone(SOLICITUD_MINIMA.itinerarios[0]?.odos[0]?.segmentos[0]?.legs[0] as LegDTO);

const v = (campo: string, regla: string): CasoHostil['esperado'] => ({ estado: 400, error: 'validacion', campo, regla });
const rn = (campo: string, regla: string): CasoHostil['esperado'] => ({ estado: 400, error: 'regla_negocio', campo, regla });
const JSON_INVALIDO: CasoHostil['esperado'] = { estado: 400, error: 'json_invalido' };
const NO_JSON: CasoHostil['esperado'] = { estado: 415, error: 'tipo_contenido_no_soportado' };
const GRANDE: CasoHostil['esperado'] = { estado: 413, error: 'cuerpo_demasiado_grande' };

export const CORPUS_HOSTIL: readonly CasoHostil[] = [
  // --- not an object / not JSON ---
  { nombre: 'cuerpo vacío', cuerpo: () => '', esperado: v('itinerarios', 'required') },
  { nombre: 'null', cuerpo: () => 'null', esperado: JSON_INVALIDO },
  { nombre: 'lista en vez de objeto', cuerpo: () => '[]', esperado: v('(cuerpo)', 'type') },
  { nombre: 'lista de solicitudes', cuerpo: () => JSON.stringify([SOLICITUD_MINIMA]), esperado: v('(cuerpo)', 'type') },
  { nombre: 'texto JSON', cuerpo: () => '"reserva"', esperado: JSON_INVALIDO },
  { nombre: 'número', cuerpo: () => '42', esperado: JSON_INVALIDO },
  { nombre: 'booleano', cuerpo: () => 'true', esperado: JSON_INVALIDO },
  { nombre: 'JSON truncado', cuerpo: () => JSON.stringify(SOLICITUD_MINIMA).slice(0, 40), esperado: JSON_INVALIDO },
  { nombre: 'coma final', cuerpo: () => '{"itinerarios": [],}', esperado: JSON_INVALIDO },
  { nombre: 'comillas simples', cuerpo: () => "{'itinerarios': []}", esperado: JSON_INVALIDO },
  { nombre: 'comentarios', cuerpo: () => '{"itinerarios": [] /* hola */}', esperado: JSON_INVALIDO },
  { nombre: 'NaN', cuerpo: () => '{"itinerarios": NaN}', esperado: JSON_INVALIDO },
  { nombre: 'basura tras el JSON', cuerpo: () => `${JSON.stringify(SOLICITUD_MINIMA)}xyz`, esperado: JSON_INVALIDO },
  { nombre: 'bytes UTF-8 inválidos', cuerpo: () => Uint8Array.from([0x7b, 0xff, 0xfe, 0x22, 0x7d]), esperado: JSON_INVALIDO },

  // --- content type and encoding ---
  { nombre: 'text/plain', cuerpo: () => JSON.stringify(SOLICITUD_MINIMA), contentType: 'text/plain', esperado: NO_JSON },
  { nombre: 'sin Content-Type', cuerpo: () => JSON.stringify(SOLICITUD_MINIMA), contentType: null, esperado: NO_JSON },
  { nombre: 'formulario', cuerpo: () => 'itinerarios=BOG', contentType: 'application/x-www-form-urlencoded', esperado: NO_JSON },
  { nombre: 'multipart', cuerpo: () => '--x\r\n\r\n{}\r\n--x--', contentType: 'multipart/form-data; boundary=x', esperado: NO_JSON },
  { nombre: 'XML', cuerpo: () => '<reserva/>', contentType: 'application/xml', esperado: NO_JSON },
  {
    nombre: 'charset utf-16',
    cuerpo: () => JSON.stringify(SOLICITUD_MINIMA),
    contentType: 'application/json; charset=utf-16',
    esperado: NO_JSON,
  },
  {
    nombre: 'Content-Encoding gzip (bomba de compresión)',
    cuerpo: () => JSON.stringify(SOLICITUD_MINIMA),
    cabeceras: { 'content-encoding': 'gzip' },
    esperado: NO_JSON,
  },

  // --- missing / wrong structure ---
  { nombre: 'objeto vacío', cuerpo: () => '{}', esperado: v('itinerarios', 'required') },
  { nombre: 'itinerarios null', cuerpo: () => '{"itinerarios": null}', esperado: v('itinerarios', 'type') },
  { nombre: 'itinerarios objeto', cuerpo: () => '{"itinerarios": {}}', esperado: v('itinerarios', 'type') },
  { nombre: 'itinerarios texto', cuerpo: () => '{"itinerarios": "BOG-JFK"}', esperado: v('itinerarios', 'type') },
  { nombre: 'itinerarios vacío', cuerpo: () => '{"itinerarios": []}', esperado: v('itinerarios', 'minItems') },
  { nombre: 'itinerarios de textos', cuerpo: () => '{"itinerarios": ["BOG"]}', esperado: v('itinerarios[0]', 'type') },
  { nombre: 'itinerario sin odos', cuerpo: () => '{"itinerarios": [{}]}', esperado: v('itinerarios[0].odos', 'required') },
  { nombre: 'odos vacío', cuerpo: con((s) => (itinerario0(s).odos = [])), esperado: v('itinerarios[0].odos', 'minItems') },
  {
    nombre: 'segmentos vacío',
    cuerpo: con((s) => (odo0(s).segmentos = [])),
    esperado: v('itinerarios[0].odos[0].segmentos', 'minItems'),
  },
  {
    nombre: 'legs vacío',
    cuerpo: con((s) => (segmento0(s).legs = [])),
    esperado: v('itinerarios[0].odos[0].segmentos[0].legs', 'minItems'),
  },
  {
    nombre: 'legs booleano',
    cuerpo: con((s) => (segmento0(s).legs = true)),
    esperado: v('itinerarios[0].odos[0].segmentos[0].legs', 'type'),
  },
  { nombre: 'leg sin fecha_salida', cuerpo: conLeg((l) => delete l.fecha_salida), esperado: v(`${LEG0}.fecha_salida`, 'required') },
  { nombre: 'leg sin destino', cuerpo: conLeg((l) => delete l.destino), esperado: v(`${LEG0}.destino`, 'required') },
  { nombre: 'origen sin código', cuerpo: conLeg((l) => delete (l.origen as Mutable).codigo), esperado: v(`${LEG0}.origen.codigo`, 'required') },
  { nombre: 'origen null', cuerpo: conLeg((l) => (l.origen = null)), esperado: v(`${LEG0}.origen`, 'type') },
  { nombre: 'origen lista', cuerpo: conLeg((l) => (l.origen = ['BOG', 'El Dorado'])), esperado: v(`${LEG0}.origen`, 'type') },
  { nombre: 'pasajeros objeto', cuerpo: con((s) => (s.pasajeros = { clase: 'Economica', tipo: 'Adulto' })), esperado: v('pasajeros', 'type') },

  // --- wrong values ---
  { nombre: 'código IATA en minúsculas', cuerpo: conLeg((l) => ((l.origen as Mutable).codigo = 'bog')), esperado: v(`${LEG0}.origen.codigo`, 'pattern') },
  { nombre: 'código IATA de 4 letras', cuerpo: conLeg((l) => ((l.origen as Mutable).codigo = 'BOGO')), esperado: v(`${LEG0}.origen.codigo`, 'maxLength') },
  { nombre: 'código IATA numérico', cuerpo: conLeg((l) => ((l.origen as Mutable).codigo = 123)), esperado: v(`${LEG0}.origen.codigo`, 'type') },
  { nombre: 'código IATA con cirílico', cuerpo: conLeg((l) => ((l.origen as Mutable).codigo = 'B\u041eG')), esperado: v(`${LEG0}.origen.codigo`, 'pattern') },
  { nombre: 'código IATA con byte nulo', cuerpo: conLeg((l) => ((l.origen as Mutable).codigo = 'BO\u0000')), esperado: v(`${LEG0}.origen.codigo`, 'pattern') },
  { nombre: 'nombre vacío', cuerpo: conLeg((l) => ((l.destino as Mutable).nombre = '')), esperado: v(`${LEG0}.destino.nombre`, 'minLength') },
  { nombre: 'nombre en blanco', cuerpo: conLeg((l) => ((l.destino as Mutable).nombre = '   ')), esperado: v(`${LEG0}.destino.nombre`, 'pattern') },
  { nombre: 'nombre de 201 caracteres', cuerpo: conLeg((l) => ((l.destino as Mutable).nombre = 'x'.repeat(201))), esperado: v(`${LEG0}.destino.nombre`, 'maxLength') },
  // Names as people read them: no control (C0/C1) or format (Cf) character, no lone surrogate.
  ...(
    [
      ['salto de línea', 'El\nDorado'],
      ['tabulador', 'El\tDorado'],
      ['byte nulo', 'El Dorado\u0000'],
      ['DEL', 'El Dorado\u007f'],
      ['control C1 (U+0085)', 'El\u0085Dorado'],
      ['inversión bidi (U+202E)', '\u202eodaroD lE'],
      ['espacio de ancho cero (U+200B)', 'El\u200bDorado'],
      ['BOM (U+FEFF)', '\ufeffEl Dorado'],
      ['guion blando (U+00AD)', 'El Do\u00adrado'],
      ['sustituto alto suelto', 'El Dorado \ud83d'],
      ['sustituto bajo suelto', '\ude00 El Dorado'],
    ] as const
  ).map(([que, nombre]): CasoHostil => ({
    nombre: `nombre con ${que}`,
    cuerpo: conLeg((l) => ((l.destino as Mutable).nombre = nombre)),
    esperado: v(`${LEG0}.destino.nombre`, 'format'),
  })),
  {
    nombre: 'sustituto suelto como escape JSON en el nombre del origen',
    cuerpo: () => JSON.stringify(SOLICITUD_MINIMA).replace(/"nombre":"[^"]*"/, '"nombre":"Bogot\\ud800"'),
    esperado: v(`${LEG0}.origen.nombre`, 'format'),
  },
  { nombre: 'texto enorme (200 kB) en nombre', cuerpo: conLeg((l) => ((l.destino as Mutable).nombre = 'A'.repeat(200_000))), esperado: v(`${LEG0}.destino.nombre`, 'maxLength') },
  { nombre: 'id_cliente no UUID', cuerpo: con((s) => (s.id_cliente = 'cliente-1')), esperado: v('id_cliente', 'format') },
  // A number beyond 2^53 on purpose: JSON carries it, JavaScript rounds it; the rule is 'type' anyway.
  // eslint-disable-next-line no-loss-of-precision
  { nombre: 'id_cliente numérico', cuerpo: con((s) => (s.id_cliente = 12345678901234567890)), esperado: v('id_cliente', 'type') },
  { nombre: 'id_cliente null', cuerpo: con((s) => (s.id_cliente = null)), esperado: v('id_cliente', 'type') },
  { nombre: 'clase de pasajero desconocida', cuerpo: con((s) => (s.pasajeros = [{ clase: 'Turista', tipo: 'Adulto' }])), esperado: v('pasajeros[0].clase', 'enum') },
  { nombre: 'pasajeros vacío', cuerpo: con((s) => (s.pasajeros = [])), esperado: v('pasajeros', 'minItems') },
  { nombre: '11 itinerarios', cuerpo: con((s) => (s.itinerarios = Array.from({ length: 11 }, () => itinerario0(s)))), esperado: v('itinerarios', 'maxItems') },
  {
    nombre: '21 legs en un segmento',
    cuerpo: con((s) => (segmento0(s).legs = Array.from({ length: 21 }, legValido))),
    esperado: v('itinerarios[0].odos[0].segmentos[0].legs', 'maxItems'),
  },

  // --- dates ---
  { nombre: 'mes 13', cuerpo: conLeg((l) => (l.fecha_salida = '2022-13-01T00:00:00Z')), esperado: v(`${LEG0}.fecha_salida`, 'format') },
  { nombre: '30 de febrero', cuerpo: conLeg((l) => (l.fecha_salida = '2022-02-30T10:00:00Z')), esperado: v(`${LEG0}.fecha_salida`, 'format') },
  { nombre: 'hora 25', cuerpo: conLeg((l) => (l.fecha_llegada = '2022-11-22T25:10:00Z')), esperado: v(`${LEG0}.fecha_llegada`, 'format') },
  { nombre: 'fecha sin T ni Z', cuerpo: conLeg((l) => (l.fecha_salida = '2022-11-22 13:10:00')), esperado: v(`${LEG0}.fecha_salida`, 'pattern') },
  { nombre: 'fecha con milisegundos', cuerpo: conLeg((l) => (l.fecha_salida = '2022-11-22T13:10:00.000Z')), esperado: v(`${LEG0}.fecha_salida`, 'pattern') },
  { nombre: 'fecha con desfase horario', cuerpo: conLeg((l) => (l.fecha_salida = '2022-11-22T13:10:00+02:00')), esperado: v(`${LEG0}.fecha_salida`, 'pattern') },
  { nombre: 'fecha epoch como texto', cuerpo: conLeg((l) => (l.fecha_salida = '1669122600000')), esperado: v(`${LEG0}.fecha_salida`, 'pattern') },
  { nombre: 'fecha epoch como número', cuerpo: conLeg((l) => (l.fecha_salida = 1669122600000)), esperado: v(`${LEG0}.fecha_salida`, 'type') },
  { nombre: 'fecha vacía', cuerpo: conLeg((l) => (l.fecha_llegada = '')), esperado: v(`${LEG0}.fecha_llegada`, 'pattern') },
  { nombre: 'fecha extended JSON {$date}', cuerpo: conLeg((l) => (l.fecha_salida = { $date: '2022-11-22T13:10:00Z' })), esperado: v(`${LEG0}.fecha_salida`, 'type') },

  // --- MongoDB operator injection ---
  { nombre: '{$gt: ""} como código', cuerpo: conLeg((l) => ((l.origen as Mutable).codigo = { $gt: '' })), esperado: v(`${LEG0}.origen.codigo`, 'type') },
  { nombre: '{$ne: null} como nombre', cuerpo: conLeg((l) => ((l.origen as Mutable).nombre = { $ne: null })), esperado: v(`${LEG0}.origen.nombre`, 'type') },
  { nombre: '{$gt: ""} como id_cliente', cuerpo: con((s) => (s.id_cliente = { $gt: '' })), esperado: v('id_cliente', 'type') },
  { nombre: '{$in: [...]} como itinerarios', cuerpo: con((s) => (s.itinerarios = { $in: [] })), esperado: v('itinerarios', 'type') },
  { nombre: '$where en la raíz', cuerpo: con((s) => (s.$where = 'sleep(10000)')), esperado: v('["$where"]', 'additionalProperties') },
  { nombre: '$set dentro de un leg', cuerpo: conLeg((l) => (l.$set = { estado: 'Pagada' })), esperado: v(`${LEG0}["$set"]`, 'additionalProperties') },
  { nombre: 'clave con punto (ruta Mongo)', cuerpo: con((s) => (s['outbox.0'] = {})), esperado: v('["outbox.0"]', 'additionalProperties') },

  // --- unknown fields / fields the server owns ---
  { nombre: 'campo desconocido en la raíz', cuerpo: con((s) => (s.precio = 10)), esperado: v('precio', 'additionalProperties') },
  { nombre: 'campo desconocido en un leg', cuerpo: conLeg((l) => (l.asiento = '1A')), esperado: v(`${LEG0}.asiento`, 'additionalProperties') },
  { nombre: 'id elegido por el cliente', cuerpo: con((s) => (s.id = '6f1e3c9a-3c1f-4a8e-9a3e-2b7c1d0e4f5a')), esperado: v('id', 'additionalProperties') },
  { nombre: 'estado elegido por el cliente', cuerpo: con((s) => (s.estado = 'Pagada')), esperado: v('estado', 'additionalProperties') },
  { nombre: 'version elegida por el cliente', cuerpo: con((s) => (s.version = 99)), esperado: v('version', 'additionalProperties') },
  { nombre: 'outbox inyectado', cuerpo: con((s) => (s.outbox = [{ id: 'x' }])), esperado: v('outbox', 'additionalProperties') },

  // --- prototype pollution ---
  {
    nombre: '__proto__ literal en la raíz',
    cuerpo: () => JSON.stringify(SOLICITUD_MINIMA).replace(/^\{/, '{"__proto__": {"admin": true, "estado": "Pagada"}, '),
    esperado: v('__proto__', 'additionalProperties'),
  },
  {
    nombre: '__proto__ dentro de origen',
    cuerpo: () => JSON.stringify(SOLICITUD_MINIMA).replace('"origen":{', '"origen":{"__proto__":{"codigo":"XXX"},'),
    esperado: v(`${LEG0}.origen.__proto__`, 'additionalProperties'),
  },
  {
    nombre: 'constructor.prototype',
    cuerpo: con((s) => Object.assign(s, JSON.parse('{"constructor": {"prototype": {"admin": true}}}'))),
    esperado: v('constructor', 'additionalProperties'),
  },

  // --- business rules (valid shape, invalid meaning) ---
  {
    nombre: 'llegada antes de la salida',
    cuerpo: conLeg((l) => ((l.fecha_salida = '2022-11-22T15:10:00Z'), (l.fecha_llegada = '2022-11-22T13:10:00Z'))),
    esperado: rn(`${LEG0}.fecha_llegada`, 'LlegadaPosteriorASalida'),
  },
  {
    nombre: 'llegada igual a la salida',
    cuerpo: conLeg((l) => (l.fecha_llegada = l.fecha_salida)),
    esperado: rn(`${LEG0}.fecha_llegada`, 'LlegadaPosteriorASalida'),
  },
  { nombre: 'origen igual a destino', cuerpo: conLeg((l) => (l.destino = l.origen)), esperado: rn(`${LEG0}.destino.codigo`, 'RutaValida') },
  {
    nombre: 'legs que no conectan',
    cuerpo: con((s) => ((leg(s, 1).origen as Mutable).codigo = 'MIA'), SOLICITUD_DOS_LEGS),
    esperado: rn(`${LEG1}.origen.codigo`, 'LegsConsecutivosConectan'),
  },
  {
    nombre: 'leg que sale antes de que llegue el anterior',
    cuerpo: con((s) => (leg(s, 1).fecha_salida = '2022-11-22T14:00:00Z'), SOLICITUD_DOS_LEGS),
    esperado: rn(`${LEG1}.fecha_salida`, 'LegsConsecutivosEnOrden'),
  },
  { nombre: 'pasajeros sin adulto', cuerpo: con((s) => (s.pasajeros = [{ clase: 'Economica', tipo: 'Menor' }])), esperado: rn('pasajeros', 'MinimoUnAdulto') },

  // --- size and depth ---
  {
    nombre: 'cuerpo de 300 kB',
    cuerpo: con((s) => ((leg(s).destino as Mutable).nombre = 'A'.repeat(300_000))),
    esperado: GRANDE,
  },
  { nombre: 'cuerpo de 10 MB', cuerpo: () => `{"itinerarios": [], "relleno": "${'x'.repeat(10 * 1024 * 1024)}"}`, esperado: GRANDE },
  { nombre: 'listas anidadas 100000 niveles', cuerpo: () => anidado(100_000, '[', ']'), esperado: v('(cuerpo)', 'type') },
  {
    nombre: 'listas anidadas 50000 niveles en itinerarios',
    cuerpo: () => `{"itinerarios": ${anidado(50_000, '[', ']')}}`,
    esperado: v('itinerarios[0]', 'type'),
  },
  {
    nombre: 'objetos anidados 20000 niveles',
    cuerpo: () => `{"a": ${anidado(20_000, '{"a":', '}')}, "itinerarios": []}`,
    esperado: v('a', 'additionalProperties'),
  },
  {
    nombre: '10000 campos desconocidos',
    cuerpo: con((s) => {
      for (let i = 0; i < 10_000; i++) s[`c${i}`] = i;
    }),
    esperado: v('c0', 'additionalProperties'),
  },
  {
    // Valid JSON under the size limit: validating every leg once cost seconds and hundreds of MB.
    nombre: '87000 legs vacíos (255 kB)',
    cuerpo: () => `{"itinerarios":[{"odos":[{"segmentos":[{"legs":[${Array.from({ length: 87_000 }, () => '{}').join(',')}]}]}]}]}`,
    esperado: v('itinerarios[0].odos[0].segmentos[0].legs', 'maxItems'),
  },
  {
    nombre: '20000 legs vacíos dentro de los máximos de cada lista',
    cuerpo: () => {
      const lista = (n: number, elemento: string) => `[${Array.from({ length: n }, () => elemento).join(',')}]`;
      const segmento = `{"legs":${lista(20, '{}')}}`;
      const odo = `{"segmentos":${lista(10, segmento)}}`;
      return `{"itinerarios":${lista(10, `{"odos":${lista(10, odo)}}`)}}`;
    },
    esperado: v(`${LEG0}.fecha_salida`, 'required'),
  },
  {
    nombre: '5000 itinerarios vacíos',
    cuerpo: () => JSON.stringify({ itinerarios: Array.from({ length: 5000 }, () => ({})) }),
    esperado: v('itinerarios', 'maxItems'),
  },
];

/** The fetch options of a case (method POST is the caller's). */
export function peticionDeCaso(caso: CasoHostil): { headers: Record<string, string>; body: string | Uint8Array<ArrayBuffer> } {
  const headers: Record<string, string> = { ...(caso.cabeceras ?? {}) };
  const tipo = caso.contentType === undefined ? 'application/json' : caso.contentType;
  const cuerpo = caso.cuerpo();
  if (tipo !== null) {
    headers['content-type'] = tipo;
    return { headers, body: cuerpo };
  }
  // fetch adds text/plain to a string body: send bytes so that no Content-Type goes at all.
  return { headers, body: typeof cuerpo === 'string' ? new TextEncoder().encode(cuerpo) : cuerpo };
}
