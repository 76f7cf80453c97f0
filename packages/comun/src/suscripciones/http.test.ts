import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { loggerSilencioso } from '../log';
import { contrato, cualquierMensaje } from './contratos';
import { montarSuscripciones } from './http';
import { suscripcion, type Desenlace, type MensajeRecibido, type Suscripcion } from './suscripcion';

const cloudEvent = (id: string, data: unknown = { n: id }) => ({
  specversion: '1.0',
  id,
  type: 'Prueba',
  source: 'pruebas',
  topic: 't',
  pubsubname: 'pubsub',
  datacontenttype: 'application/json',
  data,
});

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

type Manejo = Pick<Suscripcion, 'manejar'> | Pick<Suscripcion, 'manejarLote'>;

async function montar(s: Manejo & Partial<Pick<Suscripcion, 'lote'>>): Promise<string> {
  const app = express();
  montarSuscripciones(app, [{ pubsubname: 'pubsub', topic: 't', contrato: cualquierMensaje, ruta: '/r', ...s } as Suscripcion], loggerSilencioso);
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
  test('declares each subscription to Dapr: its route (default under /dapr), dead-letter topic, metadata, and bulk delivery only when asked', async () => {
    const app = express();
    const manejar = async (): Promise<Desenlace> => 'SUCCESS';
    montarSuscripciones(
      app,
      [
        { pubsubname: 'pubsub', topic: 'a', contrato: cualquierMensaje, ruta: '/a', deadLetterTopic: 'a-dlq', lote: { maxMensajes: 50, esperaMs: 20 }, manejar },
        { pubsubname: 'pubsub', topic: 'b', contrato: cualquierMensaje, metadata: { rawPayload: 'false' }, manejar },
      ],
      loggerSilencioso,
    );
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const r = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/dapr/subscribe`);
    expect(await r.json()).toEqual([
      { pubsubname: 'pubsub', topic: 'a', route: '/a', deadLetterTopic: 'a-dlq', bulkSubscribe: { enabled: true, maxMessagesCount: 50, maxAwaitDurationMs: 20 } },
      { pubsubname: 'pubsub', topic: 'b', route: '/dapr/suscripciones/b', metadata: { rawPayload: 'false' } },
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
    const base = await montar({ manejarLote: async () => ['SUCCESS'] });
    expect(
      porEntrada(
        await post(
          base,
          lote([
            { entryId: 'a', event: cloudEvent('m1') },
            { entryId: 'b', event: cloudEvent('m2') },
          ]),
        ),
      ),
    ).toEqual({ a: 'RETRY', b: 'RETRY' });
  });

  test('an empty bulk request is answered with no statuses', async () => {
    const base = await montar({ manejar: async () => 'SUCCESS' });
    expect(await post(base, lote([]))).toEqual({ statuses: [] });
  });
});

describe('montarSuscripciones with a contract', () => {
  test('what breaks the contract is DROP and never reaches the handler; data as JSON text or base64 is read; entries without entryId are not answered', async () => {
    const vistos: MensajeRecibido<{ n: number }>[] = [];
    const app = express();
    montarSuscripciones(
      app,
      [
        suscripcion({
          pubsubname: 'pubsub',
          topic: 't',
          ruta: '/r',
          contrato: contrato<{ n: number }>((tipo, data) => (tipo === 'Prueba' && typeof (data as { n?: unknown })?.n === 'number' ? [] : [{ campo: 'n', regla: 'número' }])),
          manejar: async (m) => {
            vistos.push(m);
            return m.data.n > 0 ? 'SUCCESS' : 'DROP';
          },
        }),
      ],
      loggerSilencioso,
    );
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect(await post(base, cloudEvent('m1', { n: 1 }))).toEqual({ status: 'SUCCESS' });
    expect(await post(base, cloudEvent('m2', { n: 'uno' }))).toEqual({ status: 'DROP' });
    expect(await post(base, { ...cloudEvent('m3', JSON.stringify({ n: 3 })) })).toEqual({ status: 'SUCCESS' });
    const { data: _sinData, ...sinData } = cloudEvent('m4');
    expect(await post(base, { ...sinData, data_base64: Buffer.from(JSON.stringify({ n: 4 })).toString('base64') })).toEqual({ status: 'SUCCESS' });
    const enLote = lote([
      { entryId: 'a', event: cloudEvent('m5', { n: 0 }) },
      { entryId: 'b', event: cloudEvent('m6', {}) },
    ]);
    const sinEntryId = { event: cloudEvent('m7', { n: 7 }), contentType: 'application/cloudevents+json', metadata: {} };
    expect(await post(base, { ...enLote, entries: [...enLote.entries, sinEntryId] })).toEqual({
      statuses: [
        { entryId: 'a', status: 'DROP' },
        { entryId: 'b', status: 'DROP' },
      ],
    });
    expect(vistos.map((m) => [m.id, m.data])).toEqual([
      ['m1', { n: 1 }],
      ['m3', { n: 3 }],
      ['m4', { n: 4 }],
      ['m5', { n: 0 }],
    ]);
  });
});
