import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Type, type Schema, type types } from 'avsc';
import fixture from './dapr-pulsar.fixture.json';
import {
  DIRECTORIO_ESQUEMAS,
  FORMA_COMANDO_CREAR_RESERVA,
  FORMA_EVENTO_RESERVA,
  TOPICOS,
  esquema,
  esquemaCloudEvent,
  esquemaJson,
  formaDeTipo,
  huellaEsquema,
  rutaEsquema,
  tipoAvro,
  tipoAvroCloudEvent,
  type Topico,
} from './index';

const RAIZ_PAQUETE = resolve(__dirname, '..');

/** Every named or anonymous type reachable from a type (records, arrays, their fields). */
function recorrer(tipo: Type, visitar: (tipo: Type, ruta: string) => void, ruta = ''): void {
  visitar(tipo, ruta);
  if (tipo.typeName === 'record') {
    for (const campo of (tipo as types.RecordType).fields) recorrer(campo.type, visitar, `${ruta}.${campo.name}`);
  } else if (tipo.typeName === 'array') {
    recorrer((tipo as types.ArrayType).itemsType, visitar, `${ruta}[]`);
  }
}

describe('schema files v1', () => {
  it('live in schema/v1 at the package root, reachable from src and dist alike', () => {
    expect(relative(RAIZ_PAQUETE, DIRECTORIO_ESQUEMAS)).toBe(join('schema', 'v1'));
    for (const topico of TOPICOS) {
      expect(existsSync(rutaEsquema(topico))).toBe(true);
      expect(rutaEsquema(topico)).toBe(join(DIRECTORIO_ESQUEMAS, `${topico}.avsc`));
    }
  });

  it('ship with the package (package.json files)', () => {
    const paquete = JSON.parse(readFileSync(join(RAIZ_PAQUETE, 'package.json'), 'utf8')) as { files?: string[] };
    expect(paquete.files).toEqual(expect.arrayContaining(['dist', 'schema']));
  });

  it.each(TOPICOS)('%s: esquemaJson is the file as compact JSON, one line for a Dapr metadata value', (topico) => {
    const texto = esquemaJson(topico);
    expect(texto).not.toContain('\n');
    expect(JSON.parse(texto)).toEqual(JSON.parse(readFileSync(rutaEsquema(topico), 'utf8')));
    expect(esquema(topico)).toEqual(JSON.parse(texto));
  });

  it('name the v1 records in the aeroalpes.integracion.v1 namespace', () => {
    expect(tipoAvro('eventos-reserva').name).toBe('aeroalpes.integracion.v1.EventoReservaPayload');
    expect(tipoAvro('comandos-reserva').name).toBe('aeroalpes.integracion.v1.ComandoCrearReservaPayload');
  });

  it.each(TOPICOS)('%s: uses no Avro unions and no logical types (Dapr JSON → Avro handles neither well)', (topico) => {
    const encontrados: string[] = [];
    recorrer(tipoAvro(topico), (tipo, ruta) => {
      if (tipo.typeName === 'union' || tipo.typeName.startsWith('logical:')) encontrados.push(`${ruta}: ${tipo.typeName}`);
    });
    expect(JSON.stringify(esquema(topico))).not.toContain('logicalType');
    expect(encontrados).toEqual([]);
  });

  it.each(TOPICOS)('%s: every field, nested ones included, has a default', (topico) => {
    const sinDefault: string[] = [];
    recorrer(tipoAvro(topico), (tipo, ruta) => {
      if (tipo.typeName !== 'record') return;
      for (const campo of (tipo as types.RecordType).fields) {
        if (campo.defaultValue() === undefined) sinDefault.push(`${ruta}.${campo.name}`);
      }
    });
    expect(sinDefault).toEqual([]);
  });

  it('eventos-reserva defaults are "" for strings, 0 for longs and [] for lists, so every event type decodes with one record', () => {
    const record = tipoAvro('eventos-reserva') as types.RecordType;
    const vacio: Record<string, unknown> = { string: '', long: 0, array: [] };
    for (const campo of record.fields) {
      expect([campo.name, campo.defaultValue()]).toEqual([campo.name, vacio[campo.type.typeName]]);
    }
  });

  it('an empty object is a complete record once defaults apply (what Dapr does for missing fields)', () => {
    const tipo = tipoAvro('eventos-reserva');
    expect(tipo.isValid({})).toBe(true);
    const decodificado = tipo.fromBuffer(tipo.toBuffer({})) as Record<string, unknown>;
    expect(Object.keys(decodificado)).toHaveLength((tipo as types.RecordType).fields.length);
  });
});

describe('TypeScript types agree with the schemas', () => {
  // FORMA_* are typed FormaAvro<EventoReservaPayload> / FormaAvro<ComandoCrearReservaPayload> in
  // formas.ts, so `tsc -b` fails if they drift from the interfaces; here they must equal the files.
  it('EventoReservaPayload ≡ eventos-reserva.avsc', () => {
    expect(formaDeTipo(tipoAvro('eventos-reserva'))).toEqual(FORMA_EVENTO_RESERVA);
  });

  it('ComandoCrearReservaPayload ≡ comandos-reserva.avsc', () => {
    expect(formaDeTipo(tipoAvro('comandos-reserva'))).toEqual(FORMA_COMANDO_CREAR_RESERVA);
  });

  it('the comparison notices a drift', () => {
    const cambiado = esquema('eventos-reserva') as { fields: { name: string; type: string; default: unknown }[] };
    cambiado.fields.push({ name: 'nuevo', type: 'string', default: '' });
    expect(formaDeTipo(Type.forSchema(cambiado as Schema))).not.toEqual(FORMA_EVENTO_RESERVA);
  });
});

describe('CloudEvent envelope (what Dapr 1.18 registers and writes)', () => {
  const topicos = TOPICOS as readonly Topico[];

  it.each(topicos)('%s: the envelope components-contrib registered, around the record as it was then (v1 has grown since)', (topico) => {
    const registrado = JSON.parse(fixture.esquemaRegistrado[topico]) as { fields: { name: string; type: unknown }[] };
    const recordEntonces = (registrado.fields.find((f) => f.name === 'data')!.type as unknown[])[1];
    const nuestro = esquemaCloudEvent(topico) as unknown as { fields: { name: string; type: unknown }[] };
    const conRecordEntonces = { ...nuestro, fields: nuestro.fields.map((f) => (f.name === 'data' ? { ...f, type: ['null', recordEntonces] } : f)) };
    expect(huellaEsquema(conRecordEntonces as never)).toBe(huellaEsquema(fixture.esquemaRegistrado[topico]));
    // And the record grew only by fields with defaults, appended: every earlier field is unchanged.
    const campos = (recordEntonces as { fields: { name: string }[] }).fields.map((f) => f.name);
    expect((tipoAvro(topico) as types.RecordType).fields.map((f) => f.name).slice(0, campos.length)).toEqual(campos);
  });

  it('the fingerprint tells a different schema apart', () => {
    expect(huellaEsquema(fixture.esquemaRegistrado['eventos-reserva'])).not.toBe(huellaEsquema(esquemaCloudEvent('comandos-reserva')));
    expect(huellaEsquema(esquemaCloudEvent('eventos-reserva'))).not.toBe(huellaEsquema(esquema('eventos-reserva')));
  });

  it('has our record as the nullable data field, in Dapr field order', () => {
    const sobre = tipoAvroCloudEvent('eventos-reserva') as types.RecordType;
    expect(sobre.name).toBe('io.cloudevents.CloudEvent');
    expect(sobre.fields.map((campo) => campo.name)).toEqual([
      'id',
      'source',
      'specversion',
      'type',
      'datacontenttype',
      'subject',
      'time',
      'topic',
      'pubsubname',
      'traceid',
      'traceparent',
      'tracestate',
      'expiration',
      'data',
      'data_base64',
    ]);
  });

  it('rejects a topic without a v1 schema', () => {
    expect(() => esquemaJson('eventos-otros' as Topico)).toThrow(/no hay esquema v1 para el tópico "eventos-otros"/);
    expect(() => tipoAvro('' as Topico)).toThrow(/no hay esquema v1/);
  });
});
