import * as grpc from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import {
  AppCallback,
  AppCallbackAlpha,
  AppCallbackHealthCheck,
  ListTopicSubscriptionsResponseSchema,
  TopicEventBulkResponseSchema,
  TopicEventResponse_TopicEventResponseStatus as EstadoTopic,
  TopicEventResponseSchema,
  type TopicEventBulkRequest,
  type TopicEventBulkRequestEntry,
  type TopicEventRequest,
} from '@dapr/dapr/proto/dapr/proto/runtime/v1/appcallback_pb';
import type { InvokeRequest } from '@dapr/dapr/proto/dapr/proto/common/v1/common_pb';
import type { Logger } from '../log';
import { atributos, datosDe, leerCloudEvent } from './cloud-event';
import { definicionGrpc, type ServicioGrpc } from './definicion-grpc';
import { atender, declaracionDapr, type Desenlace, type MensajeRecibido, type Suscripcion } from './suscripcion';

const ESTADOS: Record<Desenlace, EstadoTopic> = { SUCCESS: EstadoTopic.SUCCESS, RETRY: EstadoTopic.RETRY, DROP: EstadoTopic.DROP };

export interface OpcionesAppCallback {
  /** AppCallback.OnInvoke (Dapr service invocation); without it the method is UNIMPLEMENTED. */
  onInvoke?: grpc.handleUnaryCall<InvokeRequest, unknown>;
}

/**
 * The gRPC app channel transport: Dapr's AppCallback (ListTopicSubscriptions, OnTopicEvent,
 * OnBulkTopicEvent, OnInvoke when given), AppCallbackAlpha (OnBulkTopicEventAlpha1) and the
 * health check, to add to the app's gRPC server. Every message gets its explicit outcome from
 * the seam; a message of a topic nobody subscribes to is DROP.
 */
export function servicioAppCallback(suscripciones: readonly Suscripcion[], log: Logger, opciones: OpcionesAppCallback = {}): ServicioGrpc[] {
  const porTopic = new Map(suscripciones.map((s) => [`${s.pubsubname}/${s.topic}`, s]));
  const buscar = (req: { pubsubName: string; topic: string }, entradas: number) => {
    const s = porTopic.get(`${req.pubsubName}/${req.topic}`);
    if (!s) log.warn('mensaje de un topic sin suscripción: descartado', { topic: req.topic, pubsubname: req.pubsubName, entries: entradas });
    return s;
  };

  const implementacion: grpc.UntypedServiceImplementation = {
    listTopicSubscriptions(_call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) {
      const subscriptions = suscripciones.map((s) => {
        const { pubsubname, deadLetterTopic, metadata, ...resto } = declaracionDapr(s);
        return { ...resto, pubsubName: pubsubname, deadLetterTopic: deadLetterTopic ?? '', metadata: metadata ?? {} };
      });
      callback(null, create(ListTopicSubscriptionsResponseSchema, { subscriptions }));
    },

    onTopicEvent(call: grpc.ServerUnaryCall<TopicEventRequest, unknown>, callback: grpc.sendUnaryData<unknown>) {
      const req = call.request;
      const s = buscar(req, 1);
      const responder = ([estado]: Desenlace[]) => callback(null, create(TopicEventResponseSchema, { status: ESTADOS[estado ?? 'DROP'] }));
      if (!s) return responder(['DROP']);
      atender(s, [{ mensaje: mensajeDeEvento(req) }], log).then(responder, () => responder(['RETRY']));
    },

    listInputBindings(_call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) {
      callback(null, create(AppCallback.method.listInputBindings.output, {}));
    },

    onBindingEvent(_call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) {
      callback({ code: grpc.status.UNIMPLEMENTED, details: 'this app has no input bindings' });
    },

    onInvoke:
      opciones.onInvoke ??
      ((_call: grpc.ServerUnaryCall<InvokeRequest, unknown>, callback: grpc.sendUnaryData<unknown>) =>
        callback({ code: grpc.status.UNIMPLEMENTED, details: 'this app serves no invocations' })),
  };

  const alfa: grpc.UntypedServiceImplementation = {
    onBulkTopicEventAlpha1(call: grpc.ServerUnaryCall<TopicEventBulkRequest, unknown>, callback: grpc.sendUnaryData<unknown>) {
      const req = call.request;
      const s = buscar(req, req.entries.length);
      const responder = (desenlaces: Desenlace[]) =>
        callback(null, create(TopicEventBulkResponseSchema, { statuses: req.entries.map((e, i) => ({ entryId: e.entryId, status: ESTADOS[desenlaces[i] ?? 'DROP'] })) }));
      if (!s) return responder([]);
      atender(
        s,
        req.entries.map((e) => ({ entryId: e.entryId, mensaje: mensajeDeEntrada(e, req) })),
        log,
      ).then(responder, () => responder(req.entries.map(() => 'RETRY')));
    },

    onJobEventAlpha1(_call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) {
      callback({ code: grpc.status.UNIMPLEMENTED, details: 'this app schedules no jobs' });
    },
  };
  // daprd 1.18 calls AppCallback.OnBulkTopicEvent first and the Alpha method only when that is
  // unimplemented (one wasted call per batch); @dapr/dapr 3.18's descriptor lacks the stable one.
  implementacion.onBulkTopicEvent = alfa.onBulkTopicEventAlpha1!;
  const definicionAppCallback: grpc.ServiceDefinition = {
    ...definicionGrpc(AppCallback),
    onBulkTopicEvent: { ...definicionGrpc(AppCallbackAlpha).onBulkTopicEventAlpha1!, path: '/dapr.proto.runtime.v1.AppCallback/OnBulkTopicEvent' },
  };

  const salud: grpc.UntypedServiceImplementation = {
    healthCheck(_call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) {
      callback(null, create(AppCallbackHealthCheck.method.healthCheck.output, {}));
    },
  };

  return [
    { definicion: definicionAppCallback, implementacion },
    { definicion: definicionGrpc(AppCallbackAlpha), implementacion: alfa },
    { definicion: definicionGrpc(AppCallbackHealthCheck), implementacion: salud },
  ];
}

function mensajeDeEvento(req: TopicEventRequest): MensajeRecibido {
  const evento = { id: req.id, type: req.type, source: req.source, topic: req.topic, pubsubname: req.pubsubName, datacontenttype: req.dataContentType, ...req.extensions };
  const data = datosDe(Buffer.from(req.data).toString('utf8'), req.dataContentType);
  return { id: req.id, type: req.type, topic: req.topic, ...atributos(evento), data, evento };
}

/**
 * One entry of a bulk delivery: a CloudEvent Dapr parsed, or the bytes of one (JSON). Undefined
 * when it is neither (the entry is dropped).
 */
function mensajeDeEntrada(entrada: TopicEventBulkRequestEntry, req: TopicEventBulkRequest): MensajeRecibido | undefined {
  if (entrada.event.case === 'cloudEvent') {
    const ce = entrada.event.value;
    const evento = { id: ce.id, type: ce.type, source: ce.source, topic: req.topic, pubsubname: req.pubsubName, datacontenttype: ce.dataContentType, ...ce.extensions };
    const data = datosDe(Buffer.from(ce.data).toString('utf8'), ce.dataContentType);
    return ce.id === '' ? undefined : { id: ce.id, type: ce.type, topic: req.topic, ...atributos(evento), data, evento };
  }
  if (entrada.event.case !== 'bytes') return undefined;
  const mensaje = leerCloudEvent(datosDe(Buffer.from(entrada.event.value).toString('utf8'), 'application/json'), req.topic);
  return mensaje && { ...mensaje, topic: req.topic };
}
