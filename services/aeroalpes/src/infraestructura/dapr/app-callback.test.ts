import { create } from '@bufbuild/protobuf';
import {
  TopicEventBulkRequestSchema,
  TopicEventResponse_TopicEventResponseStatus as Estado,
  type TopicEventBulkResponse,
} from '@dapr/dapr/proto/dapr/proto/runtime/v1/appcallback_pb';
import { loggerSilencioso, type MensajeRecibido, type Resultado } from '@aeroalpes/comun';
import { servicioAppCallback, type SuscripcionApp } from './app-callback';

const vistos: MensajeRecibido[] = [];
const suscripcion: SuscripcionApp = {
  pubsubname: 'pubsub',
  topic: 'comandos-reserva',
  deadLetterTopic: 'comandos-reserva-dlq',
  lote: { maximo: 50, esperaMs: 20 },
  async manejar(m): Promise<Resultado> {
    vistos.push(m);
    if (m.id === 'falla') throw new Error('base caída');
    return (m.data as { ok?: boolean }).ok ? 'SUCCESS' : 'DROP';
  },
};
const [appCallback, alfa] = servicioAppCallback([suscripcion], { urlBase: 'http://127.0.0.1:1' }, loggerSilencioso);

const llamar = <T>(impl: Record<string, unknown>, metodo: string, request: unknown) =>
  new Promise<T>((resolve, reject) =>
    (impl[metodo] as (c: unknown, cb: (e: unknown, r: T) => void) => void)({ request }, (e, r) => (e ? reject(e) : resolve(r))),
  );

const ce = (id: string, data: unknown) => ({ id, source: 'aeroalpes', type: 'ComandoCrearReserva', specVersion: '1.0', dataContentType: 'application/json', data: Buffer.from(JSON.stringify(data)) });

describe('AppCallbackAlpha: bulk delivery on the gRPC app channel', () => {
  beforeEach(() => (vistos.length = 0));

  it('declares bulk delivery in the subscription it lists', async () => {
    const r = await llamar<{ subscriptions: { topic: string; bulkSubscribe?: { enabled: boolean; maxMessagesCount: number; maxAwaitDurationMs: number } }[] }>(
      appCallback!.implementacion,
      'listTopicSubscriptions',
      {},
    );
    expect(r.subscriptions[0]).toMatchObject({ topic: 'comandos-reserva', bulkSubscribe: { enabled: true, maxMessagesCount: 50, maxAwaitDurationMs: 20 } });
  });

  it('each entry gets its own outcome: success, drop, a thrown handler is retry, a non-CloudEvent is drop', async () => {
    const request = create(TopicEventBulkRequestSchema, {
      id: 'lote-1',
      topic: 'comandos-reserva',
      pubsubName: 'pubsub',
      entries: [
        { entryId: 'a', event: { case: 'cloudEvent', value: ce('m-1', { ok: true }) }, contentType: 'application/json' },
        { entryId: 'b', event: { case: 'cloudEvent', value: ce('m-2', { ok: false }) }, contentType: 'application/json' },
        { entryId: 'c', event: { case: 'cloudEvent', value: ce('falla', { ok: true }) }, contentType: 'application/json' },
        { entryId: 'd', event: { case: 'bytes', value: Buffer.from('not json') }, contentType: 'application/json' },
        { entryId: 'e', event: { case: 'bytes', value: Buffer.from(JSON.stringify({ id: 'm-5', type: 'ComandoCrearReserva', data: { ok: true } })) }, contentType: 'application/cloudevents+json' },
      ],
    });
    const r = await llamar<TopicEventBulkResponse>(alfa!.implementacion, 'onBulkTopicEventAlpha1', request);
    expect(r.statuses.map((s) => [s.entryId, s.status])).toEqual([
      ['a', Estado.SUCCESS],
      ['b', Estado.DROP],
      ['c', Estado.RETRY],
      ['d', Estado.DROP],
      ['e', Estado.SUCCESS],
    ]);
    expect(vistos.map((m) => [m.id, m.topic, m.data])).toEqual([
      ['m-1', 'comandos-reserva', { ok: true }],
      ['m-2', 'comandos-reserva', { ok: false }],
      ['falla', 'comandos-reserva', { ok: true }],
      ['m-5', 'comandos-reserva', { ok: true }],
    ]);
  });

  it('a batch of a topic nobody subscribes to is dropped whole', async () => {
    const request = create(TopicEventBulkRequestSchema, {
      topic: 'otro',
      pubsubName: 'pubsub',
      entries: [{ entryId: 'a', event: { case: 'cloudEvent', value: ce('m-1', { ok: true }) } }],
    });
    const r = await llamar<TopicEventBulkResponse>(alfa!.implementacion, 'onBulkTopicEventAlpha1', request);
    expect(r.statuses).toEqual([expect.objectContaining({ entryId: 'a', status: Estado.DROP })]);
    expect(vistos).toEqual([]);
  });
});
