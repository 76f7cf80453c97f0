/**
 * The platform itself, with real processes only: daprd sidecars, Pulsar standalone, FerretDB.
 */
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { crearEventoReserva } from '@aeroalpes/contratos';
import { controlar, eventually, guardDatabase, sidecarFetch, stackInfo, url } from '../support/stack';

async function json(res: Response): Promise<any> {
  const text = await res.text();
  return text === '' ? undefined : JSON.parse(text);
}

describe('local platform', () => {
  test('a message published through one sidecar reaches another service through its sidecar', async () => {
    const idReserva = randomUUID();
    const idMensaje = randomUUID();
    const evento = crearEventoReserva(
      'ReservaCreada',
      { id_reserva: idReserva, id_cliente: '', estado: 'Pendiente', fecha_creacion: Date.now() },
      { id_mensaje: idMensaje, id_correlacion: 'prueba-plataforma', time: Date.now(), ingestion: Date.now(), service_name: 'prueba' },
    );
    const res = await sidecarFetch('aeroalpes', `/v1.0/publish/pubsub/eventos-reserva?metadata.cloudevent.id=${idMensaje}&metadata.cloudevent.type=ReservaCreada`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(evento),
    });
    expect(res.status).toBe(204);

    const historial = await eventually('the notification', async () => {
      const body = await json(await fetch(`${url('notificaciones')}/notificaciones?id_reserva=${idReserva}`));
      return body.notificaciones.length > 0 ? body.notificaciones : undefined;
    });
    expect(historial).toEqual([expect.objectContaining({ id_mensaje: idMensaje, tipo: 'ReservaCreada', id_reserva: idReserva, estado: 'Pendiente' })]);
  });

  test('a value saved through a sidecar is read back, with its ETag enforced', async () => {
    const estado = (ruta: string, init?: RequestInit) => sidecarFetch('notificaciones', `/v1.0/state/statestore${ruta}`, init);
    const key = `prueba-plataforma-${randomUUID()}`;
    const save = await estado('', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ key, value: { hola: 'mundo' } }]) });
    expect(save.status).toBe(204);
    const read = await estado(`/${key}`);
    expect(read.status).toBe(200);
    expect(await json(read)).toEqual({ hola: 'mundo' });
    const etag = read.headers.get('etag');
    expect(etag).toBeTruthy();

    const stale = await estado('', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ key, value: 2, etag: 'not-the-etag' }]) });
    expect(stale.status).toBe(409);
    const firstWrite = await estado('', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ key, value: 3, options: { concurrency: 'first-write' } }]),
    });
    // state.postgresql v2 refuses a first-write on an existing key with 500 "no item was updated"
    // (not 409 as for an ETag; components-contrib 1.18.3 state/postgresql/v2 doSet), which
    // packages/comun's ClienteEstado reads as a conflict.
    expect(firstWrite.status).toBe(500);
    expect(await firstWrite.text()).toMatch(/no item was updated/);
    expect(await json(await estado(`/${key}`))).toEqual({ hola: 'mundo' });

    expect((await estado(`/${key}`, { method: 'DELETE' })).status).toBe(204);
    expect((await estado(`/${key}`)).status).toBe(204);
  });

  test('one service invokes another through Dapr service invocation', async () => {
    // The one invocation the policy allows: the ui lists aeroalpes' reservas (tests/platform/confianza.test.ts: the denials).
    const res = await sidecarFetch('ui', `/v1.0/invoke/aeroalpes/method/vuelos/reservas?tamano=1`);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual(expect.objectContaining({ reservas: expect.any(Array) }));
    // An app id that does not exist is an error from the sidecar, not a hang.
    const missing = await sidecarFetch('ui', `/v1.0/invoke/no-existe/method/health`);
    expect(missing.status).toBeGreaterThanOrEqual(400);
  });

  test('the MongoDB driver writes and reads a document on the local server', async () => {
    const { mongoUri, mongoDb } = stackInfo();
    const client = await MongoClient.connect(mongoUri, { serverSelectionTimeoutMS: 5000 });
    try {
      const collection = client.db(guardDatabase(mongoDb)).collection<{ _id: string; n: number }>(`plataforma_${randomUUID().slice(0, 8)}`);
      await collection.insertOne({ _id: 'uno', n: 1 });
      expect(await collection.findOne({ _id: 'uno' })).toEqual({ _id: 'uno', n: 1 });
      const update = await collection.updateOne({ _id: 'uno', n: 1 }, { $inc: { n: 1 } });
      expect(update.modifiedCount).toBe(1);
      expect((await collection.updateOne({ _id: 'uno', n: 1 }, { $inc: { n: 1 } })).matchedCount).toBe(0);
      await expect(collection.insertOne({ _id: 'uno', n: 9 })).rejects.toMatchObject({ code: 11000 });
      await collection.drop();
    } finally {
      await client.close();
    }
  });

  test('the guard refuses a database not named as a test database', () => {
    expect(() => guardDatabase('aeroalpes')).toThrow(/refusing/);
    expect(guardDatabase('aeroalpes_test')).toBe('aeroalpes_test');
  });

  test('the ui subscribes per replica: a non-durable subscription per sidecar, gone when it stops, new when it starts; the other apps share a durable one', async () => {
    type Suscripciones = Record<string, { isDurable: boolean; consumers: unknown[] }>;
    const suscripciones = async (): Promise<Suscripciones> =>
      ((await json(await fetch(`${stackInfo().pulsarAdmin}/admin/v2/persistent/public/default/eventos-reserva/stats`))) as { subscriptions: Suscripciones }).subscriptions;
    const deLaUi = (s: Suscripciones) => Object.keys(s).filter((n) => n.startsWith('ui-'));
    const antes = await suscripciones();
    expect(antes).toMatchObject({ aeroalpes: { isDurable: true }, notificaciones: { isDurable: true } });
    expect(antes.ui).toBeUndefined(); // no subscription named after the app id, shared by the replicas
    expect(deLaUi(antes).length).toBeGreaterThanOrEqual(1);
    for (const nombre of deLaUi(antes))
      expect({ nombre, durable: antes[nombre]!.isDurable, consumidores: antes[nombre]!.consumers.length }).toEqual({ nombre, durable: false, consumidores: 1 });

    // A sidecar that goes away leaves no subscription (and so no backlog) behind.
    const primera = deLaUi(antes)[0]!;
    await controlar('stop', 'ui-daprd');
    try {
      await eventually('the ui subscription gone', async () => (primera in (await suscripciones()) ? undefined : true), 20_000, 250);
    } finally {
      await controlar('start', 'ui-daprd');
    }
    await eventually('the ui subscribed again', async () => (deLaUi(await suscripciones()).length > 0 ? true : undefined), 30_000, 250);

    // And from the newest message on, the ui records (and pushes) what is published now.
    const idReserva = randomUUID();
    const idMensaje = randomUUID();
    const evento = crearEventoReserva(
      'ReservaCreada',
      { id_reserva: idReserva, id_cliente: '', estado: 'Pendiente', fecha_creacion: Date.now() },
      { id_mensaje: idMensaje, version_agregado: 1 },
    );
    const res = await sidecarFetch('aeroalpes', `/v1.0/publish/pubsub/eventos-reserva?metadata.cloudevent.id=${idMensaje}&metadata.cloudevent.type=ReservaCreada`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(evento),
    });
    expect(res.status).toBe(204);
    const historial = await eventually('the event in the ui', async () => {
      const body = await json(await fetch(`${url('ui')}/api/reservas/${idReserva}/eventos`));
      return JSON.stringify(body ?? '').includes(idMensaje) ? body : undefined;
    });
    expect(JSON.stringify(historial)).toContain(idMensaje);
  });

  test("a topic published with an Avro schema has that schema in Pulsar's registry", async () => {
    // The publish in the first test created eventos-reserva; publish again so this test stands alone.
    const res = await sidecarFetch('aeroalpes', `/v1.0/publish/pubsub/eventos-reserva?metadata.cloudevent.type=ReservaCreada`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        crearEventoReserva('ReservaCreada', { id_reserva: randomUUID(), id_cliente: '', estado: 'Pendiente', fecha_creacion: Date.now() }, { id_mensaje: randomUUID() }),
      ),
    });
    expect(res.status).toBe(204);
    const schema = await json(await fetch(`${stackInfo().pulsarAdmin}/admin/v2/schemas/public/default/eventos-reserva/schema`));
    expect(schema.type).toBe('AVRO');
    const avro = JSON.parse(schema.data);
    const campos = JSON.stringify(avro);
    for (const campo of ['id_reserva', 'id_cliente', 'estado', 'fecha_creacion', 'fecha_actualizacion']) expect(campos).toContain(`"${campo}"`);
  });
});
