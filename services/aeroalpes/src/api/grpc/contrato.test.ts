/**
 * Wire compatibility of our vuelos.proto with the contract (docs/contracts.md section 2), checked against
 * an INDEPENDENT description: the field table below is copied from docs/contracts.md by hand, and a
 * minimal protobuf wire codec (varints and length-delimited fields, ~60 lines) written here encodes
 * and decodes with it. Neither uses our .proto, proto-loader or protobufjs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';
import { SOLICITUD_MINIMA } from '../../modulos/vuelos/aplicacion/ejemplos';
import { PATRON_UUID } from '../validacion';
import { carpetaProto, definicionServicio, definicionVuelos } from './contrato';
import { iniciarServidorGrpcPruebas, ServidorGrpcPruebas } from './servidor-pruebas-grpc';

// ---- the contract, as docs/contracts.md states it --------------------------------------------------

type TipoCampo = 'string' | 'int64' | 'int32' | string; // otherwise a message name
interface Campo {
  numero: number;
  nombre: string;
  tipo: TipoCampo;
  repetido?: boolean;
  opcional?: boolean;
}

const TS = 'google.protobuf.Timestamp';
const CONTRATO: Record<string, Campo[]> = {
  Locacion: [
    { numero: 1, nombre: 'codigo', tipo: 'string' },
    { numero: 2, nombre: 'nombre', tipo: 'string' },
  ],
  Leg: [
    { numero: 1, nombre: 'fecha_salida', tipo: TS },
    { numero: 2, nombre: 'fecha_llegada', tipo: TS },
    { numero: 3, nombre: 'destino', tipo: 'Locacion' },
    { numero: 4, nombre: 'origen', tipo: 'Locacion' },
  ],
  Segmento: [{ numero: 1, nombre: 'legs', tipo: 'Leg', repetido: true }],
  Odo: [{ numero: 1, nombre: 'segmentos', tipo: 'Segmento', repetido: true }],
  Itinerario: [
    { numero: 1, nombre: 'id', tipo: 'string', opcional: true },
    { numero: 2, nombre: 'odos', tipo: 'Odo', repetido: true },
  ],
  Reserva: [
    { numero: 1, nombre: 'id', tipo: 'string', opcional: true },
    { numero: 2, nombre: 'fecha_creacion', tipo: TS, opcional: true },
    { numero: 3, nombre: 'fecha_actualizacion', tipo: TS, opcional: true },
    { numero: 4, nombre: 'itinerarios', tipo: 'Itinerario', repetido: true },
  ],
  QueryReserva: [{ numero: 1, nombre: 'id', tipo: 'string' }],
  RespuestaReserva: [
    { numero: 1, nombre: 'mensaje', tipo: 'string' },
    { numero: 2, nombre: 'reserva', tipo: 'Reserva', opcional: true },
  ],
  // The well-known type (google/protobuf/timestamp.proto).
  [TS]: [
    { numero: 1, nombre: 'seconds', tipo: 'int64' },
    { numero: 2, nombre: 'nanos', tipo: 'int32' },
  ],
};

// ---- a minimal protobuf wire codec -------------------------------------------------------------

type Valor = string | bigint | Mensaje | Mensaje[];
interface Mensaje {
  [campo: string]: Valor;
}

function varint(n: bigint): number[] {
  let v = BigInt.asUintN(64, n); // negative int32/int64: ten bytes, two's complement
  const bytes: number[] = [];
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    bytes.push(v > 0n ? byte | 0x80 : byte);
  } while (v > 0n);
  return bytes;
}

/** Encodes in field-number order; a field absent from the object is not written. */
function codificar(tipo: string, mensaje: Mensaje): Buffer {
  const salida: number[] = [];
  for (const campo of CONTRATO[tipo] ?? []) {
    const valor = mensaje[campo.nombre];
    if (valor === undefined) continue;
    for (const v of campo.repetido ? (valor as Mensaje[]) : [valor]) {
      if (campo.tipo === 'int64' || campo.tipo === 'int32') {
        salida.push(...varint(BigInt(campo.numero << 3)), ...varint(BigInt(v as bigint)));
      } else {
        const cuerpo = campo.tipo === 'string' ? Buffer.from(v as string, 'utf8') : codificar(campo.tipo, v as Mensaje);
        salida.push(...varint(BigInt((campo.numero << 3) | 2)), ...varint(BigInt(cuerpo.length)), ...cuerpo);
      }
    }
  }
  return Buffer.from(salida);
}

/**
 * Decodes. A field on the wire is a key of the result; an `optional` or message field that is not
 * on the wire is absent (presence); a plain scalar that is not on it gets its default (0, ''), as
 * proto3 has no presence for those; an empty repeated field is absent.
 */
function decodificar(tipo: string, bytes: Buffer): Mensaje {
  const salida: Mensaje = {};
  for (const c of CONTRATO[tipo] ?? []) {
    if (c.repetido || c.opcional) continue;
    if (c.tipo === 'string') salida[c.nombre] = '';
    else if (c.tipo === 'int64' || c.tipo === 'int32') salida[c.nombre] = 0n;
  }
  let i = 0;
  const leerVarint = (): bigint => {
    let resultado = 0n;
    for (let desplazamiento = 0n; ; desplazamiento += 7n) {
      const byte = bytes[i++];
      if (byte === undefined) throw new Error('varint truncado');
      resultado |= BigInt(byte & 0x7f) << desplazamiento;
      if ((byte & 0x80) === 0) return resultado;
    }
  };
  while (i < bytes.length) {
    const clave = leerVarint();
    const numero = Number(clave >> 3n);
    const tipoCable = Number(clave & 7n);
    const campo = (CONTRATO[tipo] ?? []).find((c) => c.numero === numero);
    if (!campo) throw new Error(`${tipo}: campo ${numero} no está en el contrato`);
    let valor: Valor;
    if (tipoCable === 0) {
      const crudo = leerVarint();
      valor = campo.tipo === 'int32' ? BigInt.asIntN(32, crudo) : BigInt.asIntN(64, crudo);
    } else if (tipoCable === 2) {
      const largo = Number(leerVarint());
      const cuerpo = bytes.subarray(i, i + largo);
      i += largo;
      valor = campo.tipo === 'string' ? cuerpo.toString('utf8') : decodificar(campo.tipo, cuerpo);
    } else throw new Error(`${tipo}.${campo.nombre}: tipo de cable ${tipoCable} inesperado`);
    if (campo.repetido) salida[campo.nombre] = [...((salida[campo.nombre] as Mensaje[] | undefined) ?? []), valor as Mensaje];
    else salida[campo.nombre] = valor;
  }
  return salida;
}

/** What the wire can tell: an empty repeated field is not on it (decodificar leaves it out). */
function sinListasVacias(m: Mensaje): Mensaje {
  const salida: Mensaje = {};
  for (const [k, v] of Object.entries(m)) {
    if (Array.isArray(v)) {
      if (v.length > 0) salida[k] = v.map(sinListasVacias);
    } else salida[k] = typeof v === 'object' ? sinListasVacias(v) : v;
  }
  return salida;
}

// ---- fixtures ----------------------------------------------------------------------------------

const SALIDA = BigInt(Date.parse('2022-11-22T13:10:00Z') / 1000);
const LLEGADA = BigInt(Date.parse('2022-11-22T15:10:00Z') / 1000);

const legBogJfk: Mensaje = {
  fecha_salida: { seconds: SALIDA, nanos: 7n },
  fecha_llegada: { seconds: LLEGADA, nanos: 8n },
  destino: { codigo: 'JFK', nombre: 'John F. Kennedy International Airport' },
  origen: { codigo: 'BOG', nombre: 'El Dorado, Bogotá' },
};

/** Every field of the contract set, optional ones both present and absent, non-ASCII text. */
const RESERVA: Mensaje = {
  id: 'reserva-ñ-1',
  fecha_creacion: { seconds: 1_700_000_000n, nanos: 123n },
  // fecha_actualizacion: absent on purpose
  itinerarios: [
    { id: 'itinerario-1', odos: [{ segmentos: [{ legs: [legBogJfk] }] }] },
    { odos: [{ segmentos: [{ legs: [legBogJfk, legBogJfk] }, { legs: [legBogJfk] }] }, { segmentos: [] }] },
  ],
};

const servicio = () => definicionServicio();

describe('el .proto coincide con la tabla del contrato', () => {
  it('mismos mensajes, nombres, números, tipos, repetidos y optional', () => {
    const def = definicionVuelos();
    const TIPOS: Record<string, string> = { string: 'TYPE_STRING', int64: 'TYPE_INT64', int32: 'TYPE_INT32' };
    for (const [mensaje, campos] of Object.entries(CONTRATO)) {
      const nombre = mensaje.includes('.') ? mensaje : `vuelos.${mensaje}`;
      const descriptor = (def[nombre] as MessageTypeDefinition<unknown, unknown> | undefined)?.type as
        { field: { name: string; number: number; type: string; label: string; typeName: string; oneofIndex: number }[]; oneofDecl: { name: string }[] } | undefined;
      expect(descriptor).toBeDefined();
      const reales = descriptor!.field.map((f) => ({
        numero: f.number,
        nombre: f.name,
        tipo: TIPOS[f.type.replace(/^TYPE_/, '').toLowerCase()] ? f.type : f.typeName.replace(/^\./, '').replace(/^vuelos\./, ''),
        repetido: f.label === 'LABEL_REPEATED',
        // proto3 `optional` = the field alone in its synthetic oneof `_<name>` (protobufjs's
        // descriptor leaves proto3Optional unset).
        opcional: descriptor!.oneofDecl[f.oneofIndex]?.name === `_${f.name}`,
      }));
      const esperados = campos.map((c) => ({
        numero: c.numero,
        nombre: c.nombre,
        tipo: TIPOS[c.tipo] ?? c.tipo,
        repetido: Boolean(c.repetido),
        opcional: Boolean(c.opcional),
      }));
      expect({ mensaje, campos: reales }).toEqual({ mensaje, campos: esperados });
    }
  });

  it('servicio vuelos.Vuelos con CrearReserva(Reserva) y ConsultarReserva(QueryReserva), ambos -> RespuestaReserva', () => {
    expect(servicio().CrearReserva?.path).toBe('/vuelos.Vuelos/CrearReserva');
    expect(servicio().ConsultarReserva?.path).toBe('/vuelos.Vuelos/ConsultarReserva');
    expect(servicio().CrearReserva?.requestStream || servicio().CrearReserva?.responseStream).toBe(false);
  });
});

describe('compatibilidad de cable con una codificación independiente', () => {
  it('bytes escritos a mano: el campo 3 de Leg es destino y el 4 es origen', () => {
    // Leg { 3: Locacion{1:"JFK"}, 4: Locacion{1:"BOG"} }: tag 0x1a = field 3, wire type 2; 0x22 = field 4.
    const bytes = Buffer.from('1a050a034a464b' + '22050a03424f47', 'hex');
    const crear = servicio().CrearReserva as grpc.MethodDefinition<unknown, unknown>;
    const reserva = crear.requestDeserialize(
      // Reserva{4: Itinerario{2: Odo{1: Segmento{1: Leg}}}} wrapped by hand, lengths included.
      Buffer.concat([Buffer.from([0x22, bytes.length + 6, 0x12, bytes.length + 4, 0x0a, bytes.length + 2, 0x0a, bytes.length]), bytes]),
    ) as { itinerarios: { odos: { segmentos: { legs: unknown[] }[] }[] }[] };
    expect(reserva.itinerarios[0]?.odos[0]?.segmentos[0]?.legs[0]).toEqual({
      fecha_salida: null,
      fecha_llegada: null,
      destino: { codigo: 'JFK', nombre: '' },
      origen: { codigo: 'BOG', nombre: '' },
    });
  });

  it('una Reserva codificada por el contrato se decodifica con nuestro proto a los mismos valores (y presencia de optional)', () => {
    const crear = servicio().CrearReserva as grpc.MethodDefinition<unknown, unknown>;
    const decodificada = crear.requestDeserialize(codificar('Reserva', RESERVA)) as Record<string, unknown>;
    const ts = (m: Mensaje) => ({ seconds: String(m.seconds), nanos: Number(m.nanos) });
    const leg = {
      fecha_salida: ts(legBogJfk.fecha_salida as Mensaje),
      fecha_llegada: ts(legBogJfk.fecha_llegada as Mensaje),
      destino: { codigo: 'JFK', nombre: 'John F. Kennedy International Airport' },
      origen: { codigo: 'BOG', nombre: 'El Dorado, Bogotá' },
    };
    expect(decodificada).toEqual({
      id: 'reserva-ñ-1',
      _id: 'id',
      fecha_creacion: { seconds: '1700000000', nanos: 123 },
      _fecha_creacion: 'fecha_creacion',
      itinerarios: [
        { id: 'itinerario-1', _id: 'id', odos: [{ segmentos: [{ legs: [leg] }] }] },
        { odos: [{ segmentos: [{ legs: [leg, leg] }, { legs: [leg] }] }, { segmentos: [] }] },
      ],
    });
    // Presence: an absent optional field is absent, not a default.
    expect(decodificada).not.toHaveProperty('fecha_actualizacion');
    expect((decodificada.itinerarios as object[])[1]).not.toHaveProperty('id');
  });

  it('y de vuelta: lo que codifica nuestro proto lo lee el contrato con los mismos valores, byte a byte', () => {
    const crear = servicio().CrearReserva as grpc.MethodDefinition<unknown, unknown>;
    const original = codificar('Reserva', RESERVA);
    const nuestros = crear.requestSerialize(crear.requestDeserialize(original));
    expect(decodificar('Reserva', nuestros)).toEqual(sinListasVacias(RESERVA));
    expect(nuestros.equals(original)).toBe(true);
  });

  it('un id optional presente pero vacío viaja (presencia explícita) y vuelve igual', () => {
    const crear = servicio().CrearReserva as grpc.MethodDefinition<unknown, unknown>;
    const bytes = codificar('Reserva', { id: '', itinerarios: [] });
    expect(bytes.toString('hex')).toBe('0a00');
    const decodificada = crear.requestDeserialize(bytes) as { id?: string };
    expect(decodificada.id).toBe('');
    expect(decodificar('Reserva', crear.requestSerialize(decodificada))).toEqual({ id: '' });
    expect(crear.requestDeserialize(Buffer.alloc(0))).not.toHaveProperty('id');
  });

  it('RespuestaReserva y QueryReserva: ida y vuelta', () => {
    const consultar = servicio().ConsultarReserva as grpc.MethodDefinition<unknown, unknown>;
    const respuesta: Mensaje = { mensaje: 'OK', reserva: { id: 'r-1', itinerarios: [] } };
    const decodificada = consultar.responseDeserialize(codificar('RespuestaReserva', respuesta));
    expect(decodificada).toMatchObject({ mensaje: 'OK', reserva: { id: 'r-1', itinerarios: [] } });
    expect(decodificar('RespuestaReserva', consultar.responseSerialize(decodificada))).toEqual(sinListasVacias(respuesta));
    expect(decodificar('QueryReserva', consultar.requestSerialize({ id: 'abc' }))).toEqual({ id: 'abc' });
    expect(consultar.requestDeserialize(codificar('QueryReserva', { id: 'abc' }))).toEqual({ id: 'abc' });
  });

  describe('por la red, contra el servidor real', () => {
    let s: ServidorGrpcPruebas;
    let cliente: grpc.Client;
    beforeAll(async () => {
      s = await iniciarServidorGrpcPruebas();
      cliente = new grpc.Client(s.direccion, grpc.credentials.createInsecure());
    });
    afterAll(async () => {
      cliente.close();
      await s.cerrar();
    });

    /** A unary call with raw bytes both ways: only our own codec sees the messages. */
    const llamar = (metodo: string, peticion: Buffer) =>
      new Promise<Buffer>((resolve, reject) =>
        cliente.makeUnaryRequest(
          `/vuelos.Vuelos/${metodo}`,
          (b: Buffer) => b,
          (b: Buffer) => b,
          peticion,
          (error, respuesta) => (error ? reject(error) : resolve(respuesta as Buffer)),
        ),
      );

    it('CrearReserva y ConsultarReserva con mensajes codificados y decodificados por el contrato', async () => {
      const leg = {
        fecha_salida: { seconds: SALIDA },
        fecha_llegada: { seconds: LLEGADA },
        destino: { codigo: 'JFK', nombre: 'John F. Kennedy International Airport' },
        origen: { codigo: 'BOG', nombre: 'El Dorado, Bogotá' },
      };
      const peticion: Mensaje = { id: 'lo-ignora-el-servidor', itinerarios: [{ odos: [{ segmentos: [{ legs: [leg] }] }] }] };
      const creada = decodificar('RespuestaReserva', await llamar('CrearReserva', codificar('Reserva', peticion)));
      expect(creada.mensaje).toBe('OK');
      const reserva = creada.reserva as Mensaje;
      expect(reserva.id).toMatch(PATRON_UUID);
      expect(reserva).toHaveProperty('fecha_creacion.seconds');
      expect(reserva).toHaveProperty('fecha_actualizacion.seconds');
      const legRecibido = (((reserva.itinerarios as Mensaje[])[0]?.odos as Mensaje[])[0]?.segmentos as Mensaje[])[0]?.legs as Mensaje[];
      // Leg field 3 came back as JFK (destino) and field 4 as BOG (origen).
      expect(legRecibido).toEqual([
        {
          fecha_salida: { seconds: SALIDA, nanos: 0n },
          fecha_llegada: { seconds: LLEGADA, nanos: 0n },
          destino: { codigo: 'JFK', nombre: 'John F. Kennedy International Airport' },
          origen: { codigo: 'BOG', nombre: 'El Dorado, Bogotá' },
        },
      ]);
      // ...and the domain understood them that way round: the reserva flies BOG -> JFK.
      const guardada = await s.nucleo.vista.obtener(reserva.id as string);
      expect(guardada?.itinerarios).toEqual(SOLICITUD_MINIMA.itinerarios);

      const consultada = decodificar('RespuestaReserva', await llamar('ConsultarReserva', codificar('QueryReserva', { id: reserva.id as string })));
      expect(consultada).toEqual(creada);
    });
  });
});

describe('carpetaProto', () => {
  const raiz = path.resolve(__dirname, '../../../../..');

  it('encuentra proto/ desde src (jest) y desde dist (node)', () => {
    expect(carpetaProto(__dirname, {})).toBe(path.join(raiz, 'proto'));
    expect(carpetaProto(path.join(raiz, 'services/aeroalpes/dist/api/grpc'), {})).toBe(path.join(raiz, 'proto'));
  });

  it('en la imagen: /app/services/aeroalpes/dist/api/grpc -> /app/proto (copiado por el Dockerfile)', () => {
    const dockerfile = fs.readFileSync(path.join(raiz, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/COPY --from=build \/app\/proto\/ proto\//);
    const app = fs.mkdtempSync(path.join(os.tmpdir(), 'imagen-'));
    try {
      fs.mkdirSync(path.join(app, 'proto'));
      fs.copyFileSync(path.join(raiz, 'proto/vuelos.proto'), path.join(app, 'proto/vuelos.proto'));
      const dist = path.join(app, 'services/aeroalpes/dist/api/grpc');
      fs.mkdirSync(dist, { recursive: true });
      expect(carpetaProto(dist, {})).toBe(path.join(app, 'proto'));
    } finally {
      fs.rmSync(app, { recursive: true, force: true });
    }
  });

  it('VUELOS_PROTO_DIR lo fuerza; un error claro si no está', () => {
    expect(carpetaProto('/', { VUELOS_PROTO_DIR: path.join(raiz, 'proto') })).toBe(path.join(raiz, 'proto'));
    expect(() => carpetaProto('/', { VUELOS_PROTO_DIR: os.tmpdir() })).toThrow(/no contiene vuelos.proto/);
    expect(() => carpetaProto('/', {})).toThrow(/no se encontró proto\/vuelos.proto/);
  });
});
