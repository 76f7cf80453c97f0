import * as grpc from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import { AnySchema } from '@bufbuild/protobuf/wkt';
import {
  AppCallback,
  AppCallbackAlpha,
  AppCallbackHealthCheck,
  ListTopicSubscriptionsResponseSchema,
  TopicEventBulkResponseSchema,
  TopicEventResponse_TopicEventResponseStatus as Estado,
  TopicEventResponseSchema,
  type TopicEventBulkRequest,
  type TopicEventBulkRequestEntry,
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
  /**
   * Bulk delivery (AppCallbackAlpha.OnBulkTopicEventAlpha1): up to `maximo` messages per call,
   * waiting at most `esperaMs` to fill one; their handlers run concurrently, each message keeps its
   * own outcome. Absent: one OnTopicEvent call per message.
   */
  lote?: { maximo: number; esperaMs: number };
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

function datosDe(texto: string, tipoContenido: string): unknown {
  if (/json/i.test(tipoContenido) || /^\s*[[{]/.test(texto)) {
    try {
      return JSON.parse(texto);
    } catch {
      /* left as text: the handler's validation rejects it */
    }
  }
  return texto;
}

/**
 * One entry of a bulk delivery as the message a handler takes: a CloudEvent Dapr parsed, or the
 * bytes of one (JSON). Undefined when it is neither (the entry is dropped).
 */
function mensajeDeEntrada(entrada: TopicEventBulkRequestEntry, req: TopicEventBulkRequest): MensajeRecibido | undefined {
  if (entrada.event.case === 'cloudEvent') {
    const ce = entrada.event.value;
    const data = datosDe(Buffer.from(ce.data).toString('utf8'), ce.dataContentType);
    return {
      id: ce.id,
      type: ce.type,
      topic: req.topic,
      source: ce.source,
      data,
      evento: { id: ce.id, type: ce.type, source: ce.source, topic: req.topic, pubsubname: req.pubsubName, datacontenttype: ce.dataContentType, ...ce.extensions },
    };
  }
  if (entrada.event.case !== 'bytes') return undefined;
  const ce = datosDe(Buffer.from(entrada.event.value).toString('utf8'), 'application/json') as Record<string, unknown>;
  if (typeof ce !== 'object' || ce === null || typeof ce.id !== 'string' || ce.id === '') return undefined;
  const data = typeof ce.data === 'string' ? datosDe(ce.data, String(ce.datacontenttype ?? '')) : ce.data;
  return { id: ce.id, type: typeof ce.type === 'string' ? ce.type : '', topic: req.topic, ...(typeof ce.source === 'string' ? { source: ce.source } : {}), data, evento: ce };
}

function mensajeDeEvento(req: TopicEventRequest): MensajeRecibido {
  const data = datosDe(Buffer.from(req.data).toString('utf8'), req.dataContentType);
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
            ...(s.lote ? { bulkSubscribe: { enabled: true, maxMessagesCount: s.lote.maximo, maxAwaitDurationMs: s.lote.esperaMs } } : {}),
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

  const alfa: grpc.UntypedServiceImplementation = {
    onBulkTopicEventAlpha1(call: grpc.ServerUnaryCall<TopicEventBulkRequest, unknown>, callback: grpc.sendUnaryData<unknown>) {
      lote(call, callback);
    },

    onJobEventAlpha1(_call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) {
      callback({ code: grpc.status.UNIMPLEMENTED, details: 'aeroalpes schedules no jobs' });
    },
  };

  /** One bulk delivery: the entries' handlers run concurrently, each entry gets its own outcome. */
  function lote(call: grpc.ServerUnaryCall<TopicEventBulkRequest, unknown>, callback: grpc.sendUnaryData<unknown>): void {
    const req = call.request;
    const suscripcion = porTopic.get(`${req.pubsubName}/${req.topic}`);
    const procesar = async (entrada: TopicEventBulkRequestEntry): Promise<Resultado> => {
      if (!suscripcion) return 'DROP';
      const mensaje = mensajeDeEntrada(entrada, req);
      if (!mensaje) {
        logger.warn('entrada de un lote que no es un CloudEvent: descartada', { topic: req.topic, entrada: entrada.entryId });
        return 'DROP';
      }
      try {
        return await suscripcion.manejar(mensaje);
      } catch (error) {
        logger.error('fallo procesando mensaje: se reintentará', { topic: req.topic, idMensaje: mensaje.id, tipo: mensaje.type, error });
        return 'RETRY';
      }
    };
    if (!suscripcion) logger.warn('lote de un topic sin suscripción: descartado', { topic: req.topic, entradas: req.entries.length });
    void Promise.all(req.entries.map(procesar)).then((resultados) =>
      callback(
        null,
        create(TopicEventBulkResponseSchema, { statuses: req.entries.map((e, i) => ({ entryId: e.entryId, status: ESTADOS[resultados[i]!] })) }),
      ),
    );
  }
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
