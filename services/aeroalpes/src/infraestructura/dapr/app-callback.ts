import * as grpc from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import { AnySchema } from '@bufbuild/protobuf/wkt';
import {
  AppCallback,
  AppCallbackHealthCheck,
  ListTopicSubscriptionsResponseSchema,
  TopicEventResponse_TopicEventResponseStatus as Estado,
  TopicEventResponseSchema,
  type TopicEventRequest,
} from '@dapr/dapr/proto/dapr/proto/runtime/v1/appcallback_pb';
import { HTTPExtension_Verb, InvokeResponseSchema, type InvokeRequest } from '@dapr/dapr/proto/dapr/proto/common/v1/common_pb';
import type { MensajeRecibido, Resultado } from '@aeroalpes/comun';
import type { Logger } from '@aeroalpes/comun';
import { definicionGrpc } from './definicion-grpc';

/** A subscription served over the gRPC app channel, declared beside its handler. */
export interface SuscripcionApp {
  pubsubname: string;
  topic: string;
  deadLetterTopic?: string;
  metadata?: Record<string, string>;
  manejar(mensaje: MensajeRecibido): Promise<Resultado>;
}

/** Where Dapr's HTTP service invocation (OnInvoke) is answered: the service's own REST API. */
export interface DestinoInvocacion {
  urlBase: string;
}

const ESTADOS: Record<Resultado, Estado> = { SUCCESS: Estado.SUCCESS, RETRY: Estado.RETRY, DROP: Estado.DROP };

/** HTTP status of the REST API -> gRPC code that daprd turns back into the same HTTP status where it can. */
export function codigoGrpc(status: number): grpc.status {
  switch (status) {
    case 400:
    case 415:
    case 422:
      return grpc.status.INVALID_ARGUMENT;
    case 401:
      return grpc.status.UNAUTHENTICATED;
    case 403:
      return grpc.status.PERMISSION_DENIED;
    case 404:
      return grpc.status.NOT_FOUND;
    case 405:
      return grpc.status.UNIMPLEMENTED;
    case 409:
      return grpc.status.ABORTED;
    case 413:
    case 429:
      return grpc.status.RESOURCE_EXHAUSTED;
    case 503:
      return grpc.status.UNAVAILABLE;
    case 504:
      return grpc.status.DEADLINE_EXCEEDED;
    default:
      return status >= 500 ? grpc.status.INTERNAL : grpc.status.UNKNOWN;
  }
}

function mensajeDeEvento(req: TopicEventRequest): MensajeRecibido {
  const texto = Buffer.from(req.data).toString('utf8');
  let data: unknown = texto;
  if (/json/i.test(req.dataContentType) || /^\s*[[{]/.test(texto)) {
    try {
      data = JSON.parse(texto);
    } catch {
      /* left as text: the handler's validation rejects it */
    }
  }
  return {
    id: req.id,
    type: req.type,
    topic: req.topic,
    source: req.source,
    data,
    evento: { id: req.id, type: req.type, source: req.source, topic: req.topic, pubsubname: req.pubsubName, datacontenttype: req.dataContentType, ...req.extensions },
  };
}

/**
 * Dapr's AppCallback (and its health check) for an app whose channel is gRPC: the subscriptions
 * (programmatic, each with its dead-letter topic), one explicit outcome per message (a handler that
 * throws answers RETRY: nothing is acknowledged that was not done), and OnInvoke forwarded to the
 * REST API so HTTP service invocation gets the same validation and answers.
 */
export function servicioAppCallback(suscripciones: SuscripcionApp[], invocacion: DestinoInvocacion, logger: Logger) {
  const porTopic = new Map(suscripciones.map((s) => [`${s.pubsubname}/${s.topic}`, s]));

  const implementacion: grpc.UntypedServiceImplementation = {
    listTopicSubscriptions(_call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) {
      callback(
        null,
        create(ListTopicSubscriptionsResponseSchema, {
          subscriptions: suscripciones.map((s) => ({
            pubsubName: s.pubsubname,
            topic: s.topic,
            metadata: s.metadata ?? {},
            deadLetterTopic: s.deadLetterTopic ?? '',
          })),
        }),
      );
    },

    onTopicEvent(call: grpc.ServerUnaryCall<TopicEventRequest, unknown>, callback: grpc.sendUnaryData<unknown>) {
      const req = call.request;
      const suscripcion = porTopic.get(`${req.pubsubName}/${req.topic}`);
      const responder = (estado: Resultado) => callback(null, create(TopicEventResponseSchema, { status: ESTADOS[estado] }));
      if (!suscripcion) {
        logger.warn('evento de un topic sin suscripción: descartado', { topic: req.topic, idMensaje: req.id });
        return responder('DROP');
      }
      suscripcion.manejar(mensajeDeEvento(req)).then(responder, (error: unknown) => {
        logger.error('fallo procesando mensaje: se reintentará', { topic: req.topic, idMensaje: req.id, tipo: req.type, error });
        responder('RETRY');
      });
    },

    listInputBindings(_call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) {
      callback(null, create(AppCallback.method.listInputBindings.output, {}));
    },

    onBindingEvent(_call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) {
      callback({ code: grpc.status.UNIMPLEMENTED, details: 'aeroalpes has no input bindings' });
    },

    onInvoke(call: grpc.ServerUnaryCall<InvokeRequest, unknown>, callback: grpc.sendUnaryData<unknown>) {
      reenviar(call.request, call.metadata, invocacion).then(
        ({ status, cuerpo, tipo }) => {
          if (status >= 200 && status < 300) {
            callback(null, create(InvokeResponseSchema, { data: create(AnySchema, { value: cuerpo }), contentType: tipo }));
          } else {
            // daprd answers HTTP callers with the status mapped from this code and
            // {"code", "message", "details"}, our JSON error being the message.
            callback({ code: codigoGrpc(status), details: Buffer.from(cuerpo).toString('utf8') });
          }
        },
        (error: unknown) => {
          logger.error('invocación: la API REST no respondió', { metodo: call.request.method, error });
          callback({ code: grpc.status.UNAVAILABLE, details: 'la API REST de aeroalpes no respondió' });
        },
      );
    },
  };

  const salud: grpc.UntypedServiceImplementation = {
    healthCheck(_call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) {
      callback(null, create(AppCallbackHealthCheck.method.healthCheck.output, {}));
    },
  };

  return [
    { definicion: definicionGrpc(AppCallback), implementacion },
    { definicion: definicionGrpc(AppCallbackHealthCheck), implementacion: salud },
  ];
}

const VERBOS: Partial<Record<HTTPExtension_Verb, string>> = {
  [HTTPExtension_Verb.GET]: 'GET',
  [HTTPExtension_Verb.HEAD]: 'HEAD',
  [HTTPExtension_Verb.POST]: 'POST',
  [HTTPExtension_Verb.PUT]: 'PUT',
  [HTTPExtension_Verb.DELETE]: 'DELETE',
  [HTTPExtension_Verb.PATCH]: 'PATCH',
  [HTTPExtension_Verb.OPTIONS]: 'OPTIONS',
};

async function reenviar(req: InvokeRequest, metadata: grpc.Metadata, destino: DestinoInvocacion): Promise<{ status: number; cuerpo: Uint8Array; tipo: string }> {
  // A gRPC caller (no HTTP extension) posts; an HTTP caller's verb and query string travel along.
  const verbo = (req.httpExtension && VERBOS[req.httpExtension.verb]) ?? 'POST';
  const query = req.httpExtension?.querystring ? `?${req.httpExtension.querystring}` : '';
  const ruta = req.method.replace(/^\/+/, '');
  const cabeceras: Record<string, string> = {};
  for (const nombre of ['x-correlation-id', 'traceparent', 'tracestate']) {
    const valor = metadata.get(nombre)[0];
    if (typeof valor === 'string') cabeceras[nombre] = valor;
  }
  const conCuerpo = verbo !== 'GET' && verbo !== 'HEAD';
  if (conCuerpo) cabeceras['content-type'] = req.contentType || 'application/json';
  const res = await fetch(`${destino.urlBase}/${ruta}${query}`, {
    method: verbo,
    headers: cabeceras,
    ...(conCuerpo && req.data ? { body: Buffer.from(req.data.value) } : {}),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, cuerpo: new Uint8Array(await res.arrayBuffer()), tipo: res.headers.get('content-type') ?? 'application/json' };
}
