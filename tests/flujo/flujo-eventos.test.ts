/**
 * The event-driven flow on the real platform: REST -> comandos-reserva (Pulsar, through daprd) ->
 * AeroAlpes' command subscription -> MongoDB + outbox -> eventos-reserva -> notificaciones, the
 * projection (read model) and the ui. Real daprd x3, real Pulsar, real FerretDB.
 */
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import {
  crearEventoReserva,
  esquemaCloudEvent,
  huellaEsquema,
  tipoAvroCloudEvent,
  TOPICO_COMANDOS_RESERVA,
  TOPICO_EVENTOS_RESERVA,
  type ComandoCrearReservaPayload,
} from '@aeroalpes/contratos';
import { cadaAceptadaUnaVez, iniciarFlujo } from '../support/carga';
import { controlar, eventually, guardDatabase, sidecarFetch, stackInfo, url } from '../support/stack';

// The contract's minimal reserva (BOG -> JFK), the sample file the README and the CLI use.
import RESERVA from '../../examples/reserva.json';

const LEG = RESERVA.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[0]!;

interface Notificacion {
  id_mensaje: string;
  tipo: string;
  id_reserva: string;
  estado?: string;
  motivo?: string;
}

async function pedir(metodo: string, ruta: string, cuerpo?: unknown): Promise<{ status: number; cuerpo: any; headers: Headers }> {
  const res = await fetch(`${url('aeroalpes')}${ruta}`, {
    method: metodo,
    headers: cuerpo === undefined ? {} : { 'content-type': 'application/json' },
    ...(cuerpo === undefined ? {} : { body: JSON.stringify(cuerpo) }),
  });
  const texto = await res.text();
  return { status: res.status, cuerpo: texto ? JSON.parse(texto) : undefined, headers: res.headers };
}

async function notificaciones(idReserva: string): Promise<Notificacion[]> {
  const res = await fetch(`${url('notificaciones')}/notificaciones?id_reserva=${idReserva}`);
  return ((await res.json()) as { notificaciones: Notificacion[] }).notificaciones;
}

/** Waits until the reserva's notifications include every type in `tipos`. */
function notificacionesCon(idReserva: string, tipos: string[], timeoutMs = 20_000): Promise<Notificacion[]> {
  return eventually(
    `notifications ${tipos.join(', ')} of ${idReserva}`,
    async () => {
      const lista = await notificaciones(idReserva);
      return tipos.every((t) => lista.some((n) => n.tipo === t)) ? lista : undefined;
    },
    timeoutMs,
  );
}

async function publicar(topic: string, tipo: string, idMensaje: string, data: unknown): Promise<Response> {
  return sidecarFetch('aeroalpes', `/v1.0/publish/pubsub/${topic}?metadata.cloudevent.id=${idMensaje}&metadata.cloudevent.type=${tipo}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(data),
  });
}

function comando(idReserva: string, idMensaje: string, legs = [LEG]): ComandoCrearReservaPayload {
  const v1 = legs.map((l) => ({ ...l, fecha_salida: Date.parse(l.fecha_salida), fecha_llegada: Date.parse(l.fecha_llegada) }));
  return {
    id_mensaje: idMensaje,
    id_correlacion: `prueba-${idMensaje}`,
    time: Date.now(),
    ingestion: Date.now(),
    service_name: 'pruebas',
    id_reserva: idReserva,
    id_usuario: '',
    id_cliente: '',
    itinerarios: [{ odos: [{ segmentos: [{ legs: v1 }] }] }],
  };
}

let mongo: MongoClient;
beforeAll(async () => {
  mongo = await MongoClient.connect(stackInfo().mongoUri);
});
afterAll(async () => {
  await mongo.close();
});
const db = () => mongo.db(guardDatabase(stackInfo().mongoDb));

describe('asynchronous create (CQRS command through the broker)', () => {
  test('202 -> reserva in the read model -> notification recorded', async () => {
    const r = await pedir('POST', '/vuelos/reserva-comando', RESERVA);
    expect(r.status).toBe(202);
    const id = r.cuerpo.id as string;
    expect(r.headers.get('location')).toBe(`/vuelos/reserva-query/${id}`);

    const vista = await eventually('the read model', async () => {
      const q = await pedir('GET', `/vuelos/reserva-query/${id}`);
      return q.status === 200 ? q.cuerpo : undefined;
    });
    expect(vista).toMatchObject({ id, estado: 'Pendiente', itinerarios: RESERVA.itinerarios });
    const lista = await notificacionesCon(id, ['ReservaCreada']);
    expect(lista).toEqual([expect.objectContaining({ tipo: 'ReservaCreada', id_reserva: id, estado: 'Pendiente' })]);
  });

  test('bad input gets 400 naming the field and the rule, and nothing is published', async () => {
    const antes = await db().collection('reservas').countDocuments();
    const r = await pedir('POST', '/vuelos/reserva-comando', { itinerarios: [{ odos: [{ segmentos: [{ legs: [{ ...LEG, destino: LEG.origen }] }] }] }] });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.cuerpo)).toContain('RutaValida');
    const r2 = await pedir('POST', '/vuelos/reserva-comando', { itinerarios: [{ odos: [{ segmentos: [{ legs: [{ ...LEG, origen: { codigo: { $gt: '' }, nombre: 'x' } }] }] }] }] });
    expect(r2.status).toBe(400);
    expect(r2.cuerpo.errores[0]).toMatchObject({ campo: expect.stringContaining('origen.codigo'), regla: 'type' });
    await new Promise((res) => setTimeout(res, 1000));
    expect(await db().collection('reservas').countDocuments()).toBe(antes);
  });
});

describe('fan-out of every event type', () => {
  test('Creada, Aprobada, Pagada and Cancelada reach notificaciones and the read model follows', async () => {
    const a = await pedir('POST', '/vuelos/reserva', RESERVA);
    expect(a.status).toBe(200);
    const id = a.cuerpo.id as string;
    expect((await pedir('POST', `/vuelos/reserva/${id}/aprobar`)).status).toBe(200);
    expect((await pedir('POST', `/vuelos/reserva/${id}/pagar`)).status).toBe(200);
    expect((await pedir('POST', `/vuelos/reserva/${id}/cancelar`)).status).toBe(409);
    const lista = await notificacionesCon(id, ['ReservaCreada', 'ReservaAprobada', 'ReservaPagada']);
    expect(lista.map((n) => n.tipo).sort()).toEqual(['ReservaAprobada', 'ReservaCreada', 'ReservaPagada']);
    await eventually('the read model at Pagada', async () => ((await pedir('GET', `/vuelos/reserva-query/${id}`)).cuerpo?.estado === 'Pagada' ? true : undefined));

    const b = await pedir('POST', '/vuelos/reserva', RESERVA);
    const idB = b.cuerpo.id as string;
    expect((await pedir('POST', `/vuelos/reserva/${idB}/cancelar`)).status).toBe(200);
    await notificacionesCon(idB, ['ReservaCreada', 'ReservaCancelada']);
  });

  test('a command that breaks a business rule on the topic produces ReservaRechazada with its reason', async () => {
    const id = randomUUID();
    const malo = comando(id, randomUUID(), [{ ...LEG, destino: LEG.origen }]);
    expect((await publicar(TOPICO_COMANDOS_RESERVA, 'ComandoCrearReserva', malo.id_mensaje, malo)).status).toBe(204);
    const [rechazo] = await notificacionesCon(id, ['ReservaRechazada']);
    expect(rechazo?.motivo).toMatch(/RutaValida/);
    expect(
      await db()
        .collection('reservas')
        .countDocuments({ _id: id as never }),
    ).toBe(0);
  });
});

describe('redelivery has one effect', () => {
  test('the same command delivered twice creates one reserva and one ReservaCreada notification', async () => {
    const id = randomUUID();
    const idMensaje = randomUUID();
    const c = comando(id, idMensaje);
    expect((await publicar(TOPICO_COMANDOS_RESERVA, 'ComandoCrearReserva', idMensaje, c)).status).toBe(204);
    expect((await publicar(TOPICO_COMANDOS_RESERVA, 'ComandoCrearReserva', idMensaje, c)).status).toBe(204);
    await notificacionesCon(id, ['ReservaCreada']);
    await new Promise((res) => setTimeout(res, 1500));
    expect(
      await db()
        .collection('reservas')
        .countDocuments({ _id: id as never }),
    ).toBe(1);
    expect((await notificaciones(id)).filter((n) => n.tipo === 'ReservaCreada')).toHaveLength(1);
  });

  test('the same event delivered twice is notified once', async () => {
    const id = randomUUID();
    const idMensaje = randomUUID();
    const evento = crearEventoReserva('ReservaCreada', { id_reserva: id, id_cliente: '', estado: 'Pendiente', fecha_creacion: Date.now() }, { id_mensaje: idMensaje });
    for (let i = 0; i < 3; i++) expect((await publicar(TOPICO_EVENTOS_RESERVA, 'ReservaCreada', idMensaje, evento)).status).toBe(204);
    await notificacionesCon(id, ['ReservaCreada']);
    await new Promise((res) => setTimeout(res, 1500));
    expect(await notificaciones(id)).toHaveLength(1);
  });
});

describe('schemas and dead letters', () => {
  test("the schema in Pulsar's registry is the v1 contract inside Dapr's CloudEvent envelope, and it decodes what is on the topic", async () => {
    const { pulsarAdmin } = stackInfo();
    for (const topic of [TOPICO_EVENTOS_RESERVA, TOPICO_COMANDOS_RESERVA] as const) {
      const res = await fetch(`${pulsarAdmin}/admin/v2/schemas/public/default/${topic}/schema`);
      expect(res.status).toBe(200);
      const schema = (await res.json()) as { type: string; data: string };
      expect(schema.type).toBe('AVRO');
      expect(huellaEsquema(schema.data)).toBe(huellaEsquema(esquemaCloudEvent(topic)));
    }
    // Read the newest message on eventos-reserva as raw bytes and decode it with the contract.
    const id = (await pedir('POST', '/vuelos/reserva', RESERVA)).cuerpo.id as string;
    await notificacionesCon(id, ['ReservaCreada']);
    const examinado = await fetch(`${pulsarAdmin}/admin/v2/persistent/public/default/${TOPICO_EVENTOS_RESERVA}/examinemessage?initialPosition=latest&messagePosition=1`);
    expect(examinado.status).toBe(200);
    // The producer batches (components/pubsub.yaml): the newest entry may hold several messages.
    const mensajes = mensajesDeEntrada(Buffer.from(await examinado.arrayBuffer()), Number(examinado.headers.get('x-pulsar-num-batch-message') ?? 0));
    const decodificados = mensajes.map(
      (m) => tipoAvroCloudEvent(TOPICO_EVENTOS_RESERVA).fromBuffer(m) as { type: string; data: { id_reserva: string; version_agregado: number; itinerarios: unknown[] } },
    );
    const decodificado = decodificados.find((d) => d.data.id_reserva === id);
    expect(decodificado?.type).toBe('ReservaCreada');
    expect(decodificado?.data).toMatchObject({ id_reserva: id, version_agregado: 1, itinerarios: [expect.anything()] });
  });

  test('a message that breaks the schema is refused at publish; one that breaks the contract lands in the dead-letter topic without blocking the topic', async () => {
    // Not Avro-compatible with the registered schema: Dapr refuses it, nothing reaches the topic.
    const idReserva = randomUUID();
    const roto = {
      ...crearEventoReserva('ReservaCreada', { id_reserva: idReserva, id_cliente: '', estado: 'Pendiente', fecha_creacion: 1 }, { id_mensaje: randomUUID() }),
      campo_desconocido: 1,
    };
    const res = await publicar(TOPICO_EVENTOS_RESERVA, 'ReservaCreada', randomUUID(), roto);
    expect(res.status).toBeGreaterThanOrEqual(400);

    // Avro-valid but an unknown event type: the consumers answer DROP and Dapr moves it to the DLQ.
    const idVeneno = randomUUID();
    const veneno = crearEventoReserva('ReservaCreada', { id_reserva: idReserva, id_cliente: '', estado: 'Pendiente', fecha_creacion: 1 }, { id_mensaje: idVeneno });
    expect((await publicar(TOPICO_EVENTOS_RESERVA, 'ReservaInventada', idVeneno, veneno)).status).toBe(204);
    const muerto = await eventually('the poison message in the dead-letter record', async () => {
      const r = (await (await fetch(`${url('notificaciones')}/dead-letter`)).json()) as {
        mensajes: { id_mensaje: string; tipo: string; topic: string; dead_letter_topic: string }[];
      };
      return r.mensajes.find((m) => m.id_mensaje === idVeneno);
    });
    expect(muerto).toMatchObject({ tipo: 'ReservaInventada', topic: TOPICO_EVENTOS_RESERVA, dead_letter_topic: `${TOPICO_EVENTOS_RESERVA}-dlq` });
    // The topic keeps flowing behind it.
    const id = (await pedir('POST', '/vuelos/reserva', RESERVA)).cuerpo.id as string;
    await notificacionesCon(id, ['ReservaCreada']);
  });
});

describe('failures', () => {
  test('a crash between the document write and the publish: the relay publishes the pending events with the ids given at commit', async () => {
    // What a crash right after the single-document write leaves: the reserva, its outbox and the
    // flag that the repository writes with it (RepositorioReservasMongo.guardar).
    const r = await pedir('POST', '/vuelos/reserva', RESERVA);
    const plantilla = await db().collection('reservas').findOne({ _id: r.cuerpo.id });
    expect(plantilla).toBeTruthy();
    const id = randomUUID();
    const idMensaje = randomUUID();
    const { outbox: _vacio, ...doc } = plantilla as Record<string, unknown>;
    await controlar('kill', 'aeroalpes');
    await db()
      .collection('reservas')
      .insertOne({
        ...doc,
        _id: id as never,
        outbox_pendiente: true,
        outbox: [
          {
            id: idMensaje,
            topic: TOPICO_EVENTOS_RESERVA,
            type: 'ReservaCreada',
            time: Date.now() - 60_000,
            correlationId: 'prueba-crash',
            aggregateId: id,
            aggregateVersion: 1,
            payload: { id_reserva: id, id_cliente: '', estado: 'Pendiente', fecha_creacion: Date.now() - 60_000 },
          },
        ],
      });
    await controlar('start', 'aeroalpes');
    const lista = await notificacionesCon(id, ['ReservaCreada']);
    expect(lista).toEqual([expect.objectContaining({ id_mensaje: idMensaje, tipo: 'ReservaCreada' })]);
    await eventually('the outbox emptied', async () =>
      (
        await db()
          .collection('reservas')
          .findOne({ _id: id as never })
      )?.outbox?.length === 0
        ? true
        : undefined,
    );
    await eventually('the read model', async () => ((await pedir('GET', `/vuelos/reserva-query/${id}`)).status === 200 ? true : undefined));
  });

  test('Pulsar stopped for 10 s under a stream of commands: nothing accepted is lost, nothing is duplicated', async () => {
    const flujo = iniciarFlujo({ pausaMs: 50 });
    await new Promise((res) => setTimeout(res, 1500));
    await controlar('stop', 'pulsar');
    const caida = Date.now();
    await new Promise((res) => setTimeout(res, 10_000));
    await controlar('start', 'pulsar');
    const recuperacion = Date.now() - caida;
    await new Promise((res) => setTimeout(res, 1500));
    await flujo.detener();
    expect(flujo.aceptadas.length).toBeGreaterThan(20);
    // Every accepted command becomes exactly one reserva with exactly one ReservaCreada notification.
    await cadaAceptadaUnaVez(db(), flujo.aceptadas, `Pulsar down ${recuperacion} ms`, 300_000);
    expect([...flujo.rechazos.keys()].filter((s) => s !== 503)).toEqual([]);
  }, 600_000);
});

/**
 * The messages of one Pulsar entry as examinemessage returns it: the payload itself, or, for a
 * batch (header X-Pulsar-num-batch-message), each message framed as a 4-byte big-endian size, its
 * SingleMessageMetadata (protobuf; field 3 is payload_size) and its payload.
 */
function mensajesDeEntrada(entrada: Buffer, enLote: number): Buffer[] {
  if (enLote <= 0) return [entrada];
  const mensajes: Buffer[] = [];
  let pos = 0;
  for (let i = 0; i < enLote; i++) {
    const largoMeta = entrada.readUInt32BE(pos);
    pos += 4;
    const largo = campoVarint(entrada.subarray(pos, pos + largoMeta), 3);
    pos += largoMeta;
    mensajes.push(entrada.subarray(pos, pos + largo));
    pos += largo;
  }
  return mensajes;
}

/** The value of a varint field of a protobuf message (enough protobuf to read payload_size). */
function campoVarint(mensaje: Buffer, numero: number): number {
  let pos = 0;
  const varint = () => {
    let valor = 0;
    for (let desplazamiento = 0; ; desplazamiento += 7) {
      const b = mensaje[pos++]!;
      valor += (b & 0x7f) * 2 ** desplazamiento;
      if (b < 0x80) return valor;
    }
  };
  while (pos < mensaje.length) {
    const clave = varint();
    const [campo, tipo] = [Math.floor(clave / 8), clave % 8];
    if (tipo === 0) {
      const valor = varint();
      if (campo === numero) return valor;
    } else if (tipo === 2) {
      const largo = varint(); // read before adding: `pos += varint()` would add to the old pos
      pos += largo;
    } else if (tipo === 1) pos += 8;
    else if (tipo === 5) pos += 4;
    else throw new Error(`protobuf wire type ${tipo} not expected in SingleMessageMetadata`);
  }
  throw new Error(`field ${numero} missing from SingleMessageMetadata`);
}
