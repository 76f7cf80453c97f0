import * as grpc from '@grpc/grpc-js';
import { create, fromBinary, toBinary, type DescMessage } from '@bufbuild/protobuf';
import { EmptySchema } from '@bufbuild/protobuf/wkt';
import {
  ListTopicSubscriptionsResponseSchema,
  TopicEventBulkRequestSchema,
  TopicEventBulkResponseSchema,
  TopicEventRequestSchema,
  TopicEventResponseSchema,
  TopicEventResponse_TopicEventResponseStatus as Estado,
  type ListTopicSubscriptionsResponse,
  type TopicEventBulkResponse,
  type TopicEventResponse,
} from '@dapr/dapr/proto/dapr/proto/runtime/v1/appcallback_pb';
import { InvokeRequestSchema, InvokeResponseSchema } from '@dapr/dapr/proto/dapr/proto/common/v1/common_pb';
import { loggerSilencioso } from '../log';
import { contrato } from './contratos';
import { servicioAppCallback } from './grpc';
import { suscripcion, type MensajeRecibido } from './suscripcion';

const vistos: MensajeRecibido<{ ok: boolean }>[] = [];
const suscripciones = [
  suscripcion({
    pubsubname: 'pubsub',
    topic: 'comandos-reserva',
    contrato: contrato<{ ok: boolean }>((_tipo, data) => (typeof (data as { ok?: unknown })?.ok === 'boolean' ? [] : [{ campo: 'ok', regla: 'booleano' }])),
    deadLetterTopic: 'comandos-reserva-dlq',
    lote: { maxMensajes: 50, esperaMs: 20 },
    async manejar(m) {
      vistos.push(m);
      if (m.id === 'falla') throw new Error('base caída');
      return m.data.ok ? 'SUCCESS' : 'DROP';
    },
  }),
];
const [appCallback, alfa, salud] = servicioAppCallback(suscripciones, loggerSilencioso);
beforeEach(() => (vistos.length = 0));

/** Calls a method of the implementation as grpc-js would, with a fake call object. */
const llamar = <T>(impl: grpc.UntypedServiceImplementation, metodo: string, request: unknown) =>
  new Promise<T>((resolve, reject) =>
    (impl[metodo] as (c: unknown, cb: (e: unknown, r: T) => void) => void)({ request, metadata: new grpc.Metadata() }, (e, r) => (e ? reject(e) : resolve(r))),
  );

const ce = (id: string, data: unknown) => ({
  id,
  source: 'aeroalpes',
  type: 'ComandoCrearReserva',
  specVersion: '1.0',
  dataContentType: 'application/json',
  data: Buffer.from(JSON.stringify(data)),
});

describe('servicioAppCallback: the gRPC app channel transport', () => {
  it('lists the subscriptions with dead-letter topic and bulk delivery', async () => {
    const r = await llamar<ListTopicSubscriptionsResponse>(appCallback!.implementacion, 'listTopicSubscriptions', {});
    expect(r.subscriptions).toEqual([
      expect.objectContaining({
        pubsubName: 'pubsub',
        topic: 'comandos-reserva',
        deadLetterTopic: 'comandos-reserva-dlq',
        bulkSubscribe: expect.objectContaining({ enabled: true, maxMessagesCount: 50, maxAwaitDurationMs: 20 }),
      }),
    ]);
  });

  it('OnTopicEvent: the handler decides; the contract drops; a throw is retry; an unknown topic is drop', async () => {
    const evento = (id: string, data: unknown, topic = 'comandos-reserva') =>
      create(TopicEventRequestSchema, { ...ce(id, data), topic, pubsubName: 'pubsub', extensions: { traceparent: '00-t-p-01', time: '2026-01-01T00:00:00Z' } });
    const estado = async (req: unknown) => (await llamar<TopicEventResponse>(appCallback!.implementacion, 'onTopicEvent', req)).status;
    expect(await estado(evento('m-1', { ok: true }))).toBe(Estado.SUCCESS);
    expect(await estado(evento('m-2', { ok: false }))).toBe(Estado.DROP);
    expect(await estado(evento('m-3', { ok: 'sí' }))).toBe(Estado.DROP);
    expect(await estado(evento('falla', { ok: true }))).toBe(Estado.RETRY);
    expect(await estado(evento('m-5', { ok: true }, 'otro'))).toBe(Estado.DROP);
    expect(vistos.map((m) => m.id)).toEqual(['m-1', 'm-2', 'falla']);
    expect(vistos[0]).toMatchObject({
      topic: 'comandos-reserva',
      type: 'ComandoCrearReserva',
      source: 'aeroalpes',
      traceparent: '00-t-p-01',
      time: '2026-01-01T00:00:00Z',
      data: { ok: true },
    });
  });

  it('bulk delivery: each entry gets its own outcome: success, drop, a thrown handler is retry, a non-CloudEvent is drop', async () => {
    const request = create(TopicEventBulkRequestSchema, {
      id: 'lote-1',
      topic: 'comandos-reserva',
      pubsubName: 'pubsub',
      entries: [
        { entryId: 'a', event: { case: 'cloudEvent', value: ce('m-1', { ok: true }) }, contentType: 'application/json' },
        { entryId: 'b', event: { case: 'cloudEvent', value: ce('m-2', { ok: false }) }, contentType: 'application/json' },
        { entryId: 'c', event: { case: 'cloudEvent', value: ce('falla', { ok: true }) }, contentType: 'application/json' },
        { entryId: 'd', event: { case: 'bytes', value: Buffer.from('not json') }, contentType: 'application/json' },
        {
          entryId: 'e',
          event: { case: 'bytes', value: Buffer.from(JSON.stringify({ id: 'm-5', type: 'ComandoCrearReserva', data: { ok: true } })) },
          contentType: 'application/cloudevents+json',
        },
        { entryId: 'f', event: { case: 'cloudEvent', value: ce('m-6', { ok: 1 }) }, contentType: 'application/json' },
      ],
    });
    const r = await llamar<TopicEventBulkResponse>(alfa!.implementacion, 'onBulkTopicEventAlpha1', request);
    expect(r.statuses.map((s) => [s.entryId, s.status])).toEqual([
      ['a', Estado.SUCCESS],
      ['b', Estado.DROP],
      ['c', Estado.RETRY],
      ['d', Estado.DROP],
      ['e', Estado.SUCCESS],
      ['f', Estado.DROP],
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

  it('OnInvoke is unimplemented unless the app gives it', async () => {
    await expect(llamar(appCallback!.implementacion, 'onInvoke', create(InvokeRequestSchema, { method: 'x' }))).rejects.toMatchObject({ code: grpc.status.UNIMPLEMENTED });
    const [conInvocacion] = servicioAppCallback([], loggerSilencioso, {
      onInvoke: (call, callback) => callback(null, create(InvokeResponseSchema, { contentType: `eco:${call.request.method}` })),
    });
    expect(await llamar(conInvocacion!.implementacion, 'onInvoke', create(InvokeRequestSchema, { method: 'x' }))).toMatchObject({ contentType: 'eco:x' });
  });
});

describe('servicioAppCallback on a real grpc-js server (the wire daprd speaks)', () => {
  let servidor: grpc.Server;
  let cliente: grpc.Client;
  beforeAll(async () => {
    servidor = new grpc.Server();
    for (const s of [appCallback!, alfa!, salud!]) servidor.addService(s.definicion, s.implementacion);
    const puerto = await new Promise<number>((resolve, reject) =>
      servidor.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
    cliente = new grpc.Client(`127.0.0.1:${puerto}`, grpc.credentials.createInsecure());
  });
  afterAll(() => {
    cliente.close();
    servidor.forceShutdown();
  });

  const unario = <E extends DescMessage, S extends DescMessage>(ruta: string, entrada: E, salida: S, mensaje: unknown) =>
    new Promise<unknown>((resolve, reject) =>
      cliente.makeUnaryRequest(
        ruta,
        (m: unknown) => Buffer.from(toBinary(entrada, m as never)),
        (b: Buffer) => fromBinary(salida, b),
        mensaje,
        (e, r) => (e ? reject(e) : resolve(r)),
      ),
    );

  it('serves ListTopicSubscriptions, OnTopicEvent, the stable OnBulkTopicEvent path daprd 1.18 calls first, and the health check', async () => {
    const lista = (await unario(
      '/dapr.proto.runtime.v1.AppCallback/ListTopicSubscriptions',
      EmptySchema,
      ListTopicSubscriptionsResponseSchema,
      create(EmptySchema),
    )) as ListTopicSubscriptionsResponse;
    expect(lista.subscriptions.map((s) => s.topic)).toEqual(['comandos-reserva']);
    const uno = (await unario(
      '/dapr.proto.runtime.v1.AppCallback/OnTopicEvent',
      TopicEventRequestSchema,
      TopicEventResponseSchema,
      create(TopicEventRequestSchema, { ...ce('m-1', { ok: true }), topic: 'comandos-reserva', pubsubName: 'pubsub' }),
    )) as TopicEventResponse;
    expect(uno.status).toBe(Estado.SUCCESS);
    const lote = (await unario(
      '/dapr.proto.runtime.v1.AppCallback/OnBulkTopicEvent',
      TopicEventBulkRequestSchema,
      TopicEventBulkResponseSchema,
      create(TopicEventBulkRequestSchema, {
        topic: 'comandos-reserva',
        pubsubName: 'pubsub',
        entries: [
          { entryId: 'a', event: { case: 'cloudEvent', value: ce('m-2', { ok: true }) } },
          { entryId: 'b', event: { case: 'cloudEvent', value: ce('falla', { ok: true }) } },
        ],
      }),
    )) as TopicEventBulkResponse;
    expect(lote.statuses.map((s) => [s.entryId, s.status])).toEqual([
      ['a', Estado.SUCCESS],
      ['b', Estado.RETRY],
    ]);
    await expect(unario('/dapr.proto.runtime.v1.AppCallbackHealthCheck/HealthCheck', EmptySchema, EmptySchema, create(EmptySchema))).resolves.toBeDefined();
  });
});
