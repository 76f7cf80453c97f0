import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Type, type Schema, type types } from 'avsc';
import type { Forma } from './formas';
import { TOPICO_COMANDOS_RESERVA, TOPICO_EVENTOS_RESERVA, VERSION_CONTRATOS, esTopico, type Topico } from './topicos';

/**
 * `schema/v1` at the package root. The same relative path holds from `src/` (jest runs the
 * sources) and from `dist/` (after `tsc -b`), so the files are read, never copied or imported.
 */
export const DIRECTORIO_ESQUEMAS = resolve(__dirname, '..', 'schema', VERSION_CONTRATOS);

const ARCHIVOS: Readonly<Record<Topico, string>> = {
  [TOPICO_EVENTOS_RESERVA]: 'eventos-reserva.avsc',
  [TOPICO_COMANDOS_RESERVA]: 'comandos-reserva.avsc',
};

function comprobarTopico(topico: string): asserts topico is Topico {
  if (!esTopico(topico)) {
    throw new Error(`no hay esquema v1 para el tópico "${topico}"; tópicos: ${Object.keys(ARCHIVOS).join(', ')}`);
  }
}

/** Path of the `.avsc` file of a topic. */
export function rutaEsquema(topico: Topico): string {
  comprobarTopico(topico);
  return join(DIRECTORIO_ESQUEMAS, ARCHIVOS[topico]);
}

const textos = new Map<Topico, string>();

/**
 * The topic's v1 record schema as compact JSON: the value of the Dapr Pulsar component metadata
 * `<topic>.avroschema` (the local component and the Helm chart embed it). Dapr wraps it in its
 * CloudEvent envelope record before registering it (see `esquemaCloudEvent`).
 */
export function esquemaJson(topico: Topico): string {
  comprobarTopico(topico);
  let texto = textos.get(topico);
  if (texto === undefined) {
    texto = JSON.stringify(JSON.parse(readFileSync(rutaEsquema(topico), 'utf8')));
    textos.set(topico, texto);
  }
  return texto;
}

/** The topic's v1 record schema as a fresh object. */
export function esquema(topico: Topico): Schema {
  return JSON.parse(esquemaJson(topico)) as Schema;
}

/**
 * The schema Dapr 1.18's Pulsar component registers and writes on the topic: our record as the
 * `data` of a CloudEvent envelope record, field for field as
 * components-contrib v1.18.3 pubsub/pulsar/cloudevents_schema.go builds it (order matters for Avro).
 */
export function esquemaCloudEvent(topico: Topico): Schema {
  const anulable = (name: string) => ({ name, type: ['null', 'string'], default: null });
  return {
    type: 'record',
    name: 'CloudEvent',
    namespace: 'io.cloudevents',
    fields: [
      { name: 'id', type: 'string' },
      { name: 'source', type: 'string' },
      { name: 'specversion', type: 'string' },
      { name: 'type', type: 'string' },
      anulable('datacontenttype'),
      anulable('subject'),
      anulable('time'),
      anulable('topic'),
      anulable('pubsubname'),
      anulable('traceid'),
      anulable('traceparent'),
      anulable('tracestate'),
      anulable('expiration'),
      { name: 'data', type: ['null', esquema(topico)], default: null },
      anulable('data_base64'),
    ],
  } as Schema;
}

export function esquemaCloudEventJson(topico: Topico): string {
  return JSON.stringify(esquemaCloudEvent(topico));
}

const tipos = new Map<Topico, Type>();
const tiposCloudEvent = new Map<Topico, Type>();

/** The avsc type of the topic's v1 record. */
export function tipoAvro(topico: Topico): Type {
  comprobarTopico(topico);
  let tipo = tipos.get(topico);
  if (tipo === undefined) {
    tipo = Type.forSchema(esquema(topico));
    tipos.set(topico, tipo);
  }
  return tipo;
}

/** The avsc type of the topic's CloudEvent envelope (what is on the wire). */
export function tipoAvroCloudEvent(topico: Topico): Type {
  comprobarTopico(topico);
  let tipo = tiposCloudEvent.get(topico);
  if (tipo === undefined) {
    tipo = Type.forSchema(esquemaCloudEvent(topico));
    tiposCloudEvent.set(topico, tipo);
  }
  return tipo;
}

/**
 * SHA-256 fingerprint (hex) of a schema's Parsing Canonical Form: equal for schemas that encode
 * the same bytes whatever their docs, defaults, formatting or namespace spelling. Use it to compare
 * the schema in Pulsar's registry (`GET /admin/v2/schemas/public/default/<topic>/schema`, field
 * `data`) with `esquemaCloudEvent(topic)`.
 */
export function huellaEsquema(esquemaOTexto: Schema | string): string {
  const definicion = typeof esquemaOTexto === 'string' ? (JSON.parse(esquemaOTexto) as Schema) : esquemaOTexto;
  return Type.forSchema(definicion).fingerprint('sha256').toString('hex');
}

/** The shape of an avsc type, comparable with the `FORMA_*` constants (see formas.ts). */
export function formaDeTipo(tipo: Type): Forma {
  switch (tipo.typeName) {
    case 'string':
      return 'string';
    case 'long':
      return 'long';
    case 'array':
      return { array: formaDeTipo((tipo as types.ArrayType).itemsType) };
    case 'record': {
      const record: { [campo: string]: Forma } = {};
      for (const campo of (tipo as types.RecordType).fields) {
        record[campo.name] = formaDeTipo(campo.type);
      }
      return { record };
    }
    default:
      throw new Error(`tipo Avro no usado en los contratos v1: ${tipo.typeName}`);
  }
}
