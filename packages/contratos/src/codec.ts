import { Type, type Schema } from 'avsc';
import { tipoAvro, tipoAvroCloudEvent } from './esquemas';
import type { CloudEventAvro } from './mensajes';
import type { Topico } from './topicos';
import { validarEsquema, type ErrorValidacion } from './validacion';

/** A value that cannot be encoded, or bytes that cannot be decoded, with the schema of a topic. */
export class ErrorContrato extends Error {
  constructor(
    mensaje: string,
    readonly errores: readonly ErrorValidacion[] = [],
  ) {
    super(errores.length === 0 ? mensaje : `${mensaje}: ${errores.map((e) => `${e.campo}: ${e.regla}`).join('; ')}`);
    this.name = 'ErrorContrato';
  }
}

/** avsc returns record instances; the contracts speak plain JSON objects. */
function comoJson<T>(valor: unknown): T {
  return JSON.parse(JSON.stringify(valor)) as T;
}

/**
 * Encodes the `data` record of a topic to Avro binary (missing fields take their defaults).
 * Throws ErrorContrato, listing every field and rule, when the value does not fit the schema.
 */
export function codificar(topico: Topico, datos: unknown): Buffer {
  const errores = validarEsquema(topico, datos);
  if (errores.length > 0) throw new ErrorContrato(`el valor no cumple el esquema v1 de ${topico}`, errores);
  return tipoAvro(topico).toBuffer(datos);
}

/** Decodes Avro binary of the topic's `data` record into a plain object with every field. */
export function decodificar<T = Record<string, unknown>>(topico: Topico, bytes: Uint8Array): T {
  return comoJson<T>(leer(tipoAvro(topico).fromBuffer.bind(tipoAvro(topico)), topico, bytes));
}

/**
 * Encodes a whole message as it travels on the topic: Dapr's CloudEvent envelope record with our
 * record as `data` (for tests, and for anything that produces to Pulsar natively).
 */
export function codificarCloudEvent<D>(topico: Topico, evento: CloudEventAvro<D>): Buffer {
  const tipo = tipoAvroCloudEvent(topico);
  if (evento === null || typeof evento !== 'object') {
    throw new ErrorContrato(`el CloudEvent de ${topico} debe ser un objeto`);
  }
  const errores: ErrorValidacion[] =
    evento.data === undefined || evento.data === null
      ? []
      : validarEsquema(topico, evento.data).map((e) => ({ campo: e.campo === 'data' ? 'data' : `data.${e.campo}`, regla: e.regla }));
  if (errores.length === 0) {
    tipo.isValid(
      { ...evento },
      {
        errorHook(partes) {
          errores.push({ campo: partes.join('.') || 'cloudevent', regla: 'no cumple el sobre CloudEvent de Dapr (id, source, specversion, type: textos; el resto: texto o null)' });
        },
      },
    );
  }
  if (errores.length > 0) throw new ErrorContrato(`el CloudEvent no cumple el esquema registrado de ${topico}`, errores);
  return tipo.toBuffer(evento);
}

/**
 * Decodes a message read natively from the topic (the bytes Dapr's Pulsar component writes):
 * the CloudEvent envelope with our record as `data`, as plain JSON. Avro bytes can only be read
 * with the schema they were written with: a message written under an earlier version of v1 (the
 * registry keeps every version; Pulsar names it on each message) is read by giving that schema as
 * `esquemaEscritor`, and the fields added since take their defaults (schema resolution).
 */
export function decodificarCloudEvent<D = Record<string, unknown>>(topico: Topico, bytes: Uint8Array, esquemaEscritor?: string | Schema): CloudEventAvro<D> {
  const tipo = tipoAvroCloudEvent(topico);
  if (esquemaEscritor === undefined) return comoJson<CloudEventAvro<D>>(leer(tipo.fromBuffer.bind(tipo), topico, bytes));
  const escritor = Type.forSchema(typeof esquemaEscritor === 'string' ? (JSON.parse(esquemaEscritor) as Schema) : esquemaEscritor);
  const resolver = tipo.createResolver(escritor);
  return comoJson<CloudEventAvro<D>>(leer((buffer) => tipo.fromBuffer(buffer, resolver), topico, bytes));
}

function leer(desde: (buffer: Buffer) => unknown, topico: Topico, bytes: Uint8Array): unknown {
  try {
    return desde(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw new ErrorContrato(`bytes que no son un mensaje v1 de ${topico} (${(error as Error).message})`);
  }
}
