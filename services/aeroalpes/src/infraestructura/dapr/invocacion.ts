import * as grpc from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import { AnySchema } from '@bufbuild/protobuf/wkt';
import { HTTPExtension_Verb, InvokeResponseSchema, type InvokeRequest } from '@dapr/dapr/proto/dapr/proto/common/v1/common_pb';
import type { Logger } from '@aeroalpes/comun';
import { codigoGrpcDeRespuestaRest } from '../../api/grpc/estado-grpc';

/** Where Dapr's HTTP service invocation (OnInvoke) is answered: the service's own REST API. */
export interface DestinoInvocacion {
  urlBase: string;
}

/**
 * AppCallback.OnInvoke for aeroalpes: HTTP service invocation forwarded to the REST API, so it
 * gets the same validation and answers.
 */
export function onInvoke(invocacion: DestinoInvocacion, logger: Logger): grpc.handleUnaryCall<InvokeRequest, unknown> {
  return (call, callback) => {
    reenviar(call.request, call.metadata, invocacion).then(
      ({ status, cuerpo, tipo }) => {
        if (status >= 200 && status < 300) {
          callback(null, create(InvokeResponseSchema, { data: create(AnySchema, { value: cuerpo }), contentType: tipo }));
        } else {
          // daprd answers HTTP callers with the status mapped from this code and
          // {"code", "message", "details"}, our JSON error being the message.
          callback({ code: codigoGrpcDeRespuestaRest(status, cuerpo), details: Buffer.from(cuerpo).toString('utf8') });
        }
      },
      (error: unknown) => {
        logger.error('invocación: la API REST no respondió', { method: call.request.method, err: error });
        callback({ code: grpc.status.UNAVAILABLE, details: 'la API REST de aeroalpes no respondió' });
      },
    );
  };
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
