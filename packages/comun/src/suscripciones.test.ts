import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { configLote } from './config';
import { loggerSilencioso } from './log';
import { montarSuscripciones, type MensajeRecibido, type Resultado, type Suscripcion } from './suscripciones';

const cloudEvent = (id: string, data: unknown = { n: id }) => ({ specversion: '1.0', id, type: 'Prueba', source: 'pruebas', topic: 't', pubsubname: 'pubsub', datacontenttype: 'application/json', data });

/** A bulk request as daprd 1.18 posts it (pkg/runtime/pubsub NewBulkSubscribeEnvelope). */
const lote = (entries: { entryId: string; event: unknown }[]) => ({
  id: 'lote-1',
  type: 'com.dapr.event.sent.bulk',
  topic: 't',
  pubsubname: 'pubsub',
  metadata: {},
  entries: entries.map((e) => ({ ...e, contentType: 'application/cloudevents+json', metadata: {} })),
});

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  if (server) await new Promise((r) => server!.close(r));
  server = undefined;
});

async function montar(s: Partial<Suscripcion> & Pick<Suscripcion, 'manejar'>): Promise<string> {
  const app = express();
  montarSuscripciones(app, [{ pubsubname: 'pubsub', topic: 't', route: '/r', ...s }], loggerSilencioso);
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function post(base: string, cuerpo: unknown): Promise<Record<string, unknown>> {
  const r = await fetch(`${base}/r`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(cuerpo) });
  expect(r.status).toBe(200);
  return (await r.json()) as Record<string, unknown>;
}

/** entryId -> status, whatever the order of the answer. */
const porEntrada = (cuerpo: Record<string, unknown>) => Object.fromEntries((cuerpo.statuses as { entryId: string; status: string }[]).map((s) => [s.entryId, s.status]));

describe('montarSuscripciones', () => {
  test('declares bulk delivery to Dapr only for a subscription that asks for it', async () => {
    const app = express();
    const manejar = async () => 'SUCCESS' as Resultado;
    montarSuscripciones(
      app,
      [
        { pubsubname: 'pubsub', topic: 'a', route: '/a', deadLetterTopic: 'a-dlq', lote: { maxMensajes: 50, esperaMs: 20 }, manejar },
        { pubsubname: 'pubsub', topic: 'b', route: '/b', manejar },
      ],
      loggerSilencioso,
    );
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const r = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/dapr/subscribe`);
    expect(await r.json()).toEqual([
      { pubsubname: 'pubsub', topic: 'a', route: '/a', deadLetterTopic: 'a-dlq', bulkSubscribe: { enabled: true, maxMessagesCount: 50, maxAwaitDurationMs: 20 } },
      { pubsubname: 'pubsub', topic: 'b', route: '/b' },
    ]);
  });

  test('a single delivery: the handler decides; no CloudEvent id is DROP; a throw is RETRY', async () => {
    const base = await montar({
      manejar: async (m) => {
        if (m.id === 'falla') throw new Error('boom');
        return m.id === 'malo' ? 'DROP' : 'SUCCESS';
      },
    });
    expect(await post(base, cloudEvent('m1'))).toEqual({ status: 'SUCCESS' });
    expect(await post(base, cloudEvent('malo'))).toEqual({ status: 'DROP' });
    expect(await post(base, { specversion: '1.0', type: 'Prueba' })).toEqual({ status: 'DROP' });
    expect(await post(base, cloudEvent('falla'))).toEqual({ status: 'RETRY' });
  });

  test('a bulk request on the same route: every entry its own status; only the entry that threw is RETRY', async () => {
    const vistos: MensajeRecibido[] = [];
    const base = await montar({
      lote: { maxMensajes: 10, esperaMs: 5 },
      manejar: async (m) => {
        vistos.push(m);
        if (m.id === 'falla') throw new Error('boom');
        return 'SUCCESS';
      },
    });
    const cuerpo = await post(
      base,
      lote([
        { entryId: 'e1', event: cloudEvent('m1') },
        { entryId: 'e2', event: JSON.stringify(cloudEvent('m2')) }, // the event as JSON text
        { entryId: 'e3', event: { specversion: '1.0', type: 'Prueba' } }, // no CloudEvent id
        { entryId: 'e4', event: 'no es json' },
        { entryId: 'e5', event: cloudEvent('falla') },
      ]),
    );
    expect(porEntrada(cuerpo)).toEqual({ e1: 'SUCCESS', e2: 'SUCCESS', e3: 'DROP', e4: 'DROP', e5: 'RETRY' });
    expect(vistos.map((m) => [m.id, m.data])).toEqual(
      expect.arrayContaining([
        ['m1', { n: 'm1' }],
        ['m2', { n: 'm2' }],
      ]),
    );
    expect(vistos).toHaveLength(3);
  });

  test('manejarLote gets the valid messages of the request at once, in order; a throw is RETRY for those, the invalid stay DROP', async () => {
    const lotes: string[][] = [];
    let fallar = false;
    const base = await montar({
      manejar: async () => {
        throw new Error('manejar must not be called when manejarLote exists');
      },
      manejarLote: async (mensajes) => {
        lotes.push(mensajes.map((m) => m.id));
        if (fallar) throw new Error('almacén caído');
        return mensajes.map((m) => (m.id === 'dup' ? 'SUCCESS' : m.id === 'roto' ? 'DROP' : 'SUCCESS'));
      },
    });
    const entradas = [
      { entryId: 'a', event: cloudEvent('m1') },
      { entryId: 'b', event: { sin: 'id' } },
      { entryId: 'c', event: cloudEvent('roto') },
      { entryId: 'd', event: cloudEvent('dup') },
    ];
    expect(porEntrada(await post(base, lote(entradas)))).toEqual({ a: 'SUCCESS', b: 'DROP', c: 'DROP', d: 'SUCCESS' });
    fallar = true;
    expect(porEntrada(await post(base, lote(entradas)))).toEqual({ a: 'RETRY', b: 'DROP', c: 'RETRY', d: 'RETRY' });
    expect(await post(base, cloudEvent('solo'))).toEqual({ status: 'RETRY' }); // a single delivery is a batch of one
    expect(lotes).toEqual([['m1', 'roto', 'dup'], ['m1', 'roto', 'dup'], ['solo']]);
  });

  test('manejarLote answering the wrong number of results is RETRY for the batch, never a guess', async () => {
    const base = await montar({ manejar: async () => 'SUCCESS', manejarLote: async () => ['SUCCESS'] });
    expect(porEntrada(await post(base, lote([{ entryId: 'a', event: cloudEvent('m1') }, { entryId: 'b', event: cloudEvent('m2') }])))).toEqual({ a: 'RETRY', b: 'RETRY' });
  });

  test('an empty bulk request is answered with no statuses', async () => {
    const base = await montar({ manejar: async () => 'SUCCESS' });
    expect(await post(base, lote([]))).toEqual({ statuses: [] });
  });
});

describe('configLote', () => {
  const guardado = { ...process.env };
  afterEach(() => {
    process.env = { ...guardado };
  });

  test('bulk by default (50 messages, 20 ms); 0 or 1 messages, or 0 ms, turn it off; a bad value fails with its name', () => {
    delete process.env.BULK_MAX_MENSAJES;
    delete process.env.BULK_ESPERA_MS;
    expect(configLote()).toEqual({ maxMensajes: 50, esperaMs: 20 });
    process.env.BULK_MAX_MENSAJES = '200';
    process.env.BULK_ESPERA_MS = '5';
    expect(configLote()).toEqual({ maxMensajes: 200, esperaMs: 5 });
    process.env.BULK_MAX_MENSAJES = '1';
    expect(configLote()).toBeUndefined();
    process.env.BULK_MAX_MENSAJES = '0';
    expect(configLote()).toBeUndefined();
    process.env.BULK_MAX_MENSAJES = '50';
    process.env.BULK_ESPERA_MS = '0';
    expect(configLote()).toBeUndefined();
    process.env.BULK_ESPERA_MS = 'pronto';
    expect(() => configLote()).toThrow(/BULK_ESPERA_MS/);
  });
});
