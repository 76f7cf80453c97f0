/**
 * The two tokens between an app and its sidecar (Dapr's API token authentication):
 * - the app API token (APP_API_TOKEN): daprd sends it in the header `dapr-api-token` on every call
 *   it makes to the app (subscriptions, AppCallback, invocation); the app refuses a Dapr-facing call
 *   without it, so only its own sidecar can deliver messages or invoke it;
 * - the Dapr API token (DAPR_API_TOKEN): the app sends it to its sidecar on every call (publish,
 *   state, invocation); daprd refuses its API without it.
 * Both are given per service per run by the launcher (Kubernetes: Secrets, charts/aeroalpes). When
 * a token is not configured, nothing is checked or sent (a service run by hand beside a plain daprd).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import type { RequestHandler } from 'express';
import type { Logger } from './log';

/** The header (gRPC metadata key) that carries either token. */
export const CABECERA_TOKEN = 'dapr-api-token';

const leer = (nombre: string): string | undefined => {
  const valor = process.env[nombre];
  return valor === undefined || valor === '' ? undefined : valor;
};

/** The token daprd must present to this app (APP_API_TOKEN), if configured. */
export const tokenApp = (): string | undefined => leer('APP_API_TOKEN');

/** The token this app presents to its sidecar (DAPR_API_TOKEN), if configured. */
export const tokenDapr = (): string | undefined => leer('DAPR_API_TOKEN');

/** Headers for a call of ours to the sidecar's HTTP API (empty when no token is configured). */
export function cabecerasDapr(token = tokenDapr()): Record<string, string> {
  return token ? { [CABECERA_TOKEN]: token } : {};
}

/** Constant-time comparison (over digests, so the lengths do not leak either). */
export function tokenCoincide(esperado: string, recibido: unknown): boolean {
  if (typeof recibido !== 'string' || recibido === '') return false;
  const digerir = (t: string) => createHash('sha256').update(t, 'utf8').digest();
  return timingSafeEqual(digerir(esperado), digerir(recibido));
}

/**
 * Express middleware for the routes only daprd calls: without the app token, 401 and nothing
 * done (mounted before any body parser, so a forged body is not even read), one log line.
 */
export function exigirTokenApp(log: Logger, token = tokenApp()): RequestHandler {
  return (req, res, next) => {
    if (token === undefined || tokenCoincide(token, req.get(CABECERA_TOKEN))) return next();
    log.warn('llamada sin el token de la app: rechazada', { method: req.method, path: req.path, origin: req.socket.remoteAddress });
    res.setHeader('Connection', 'close');
    res.status(401).json({ error: 'no_autenticado', mensaje: `falta o no es válida la cabecera ${CABECERA_TOKEN}` });
  };
}

/**
 * The AppCallback methods daprd 1.18 calls on a gRPC app WITHOUT the app token: it lists the
 * subscriptions (processor/subscriber/subscriber.go) and probes health (channel/grpc
 * grpc_channel.go HealthProbe) over a bare client, while deliveries, invocations and its proxy
 * carry the token (AddAppTokenToContext). They do nothing and reveal only the declared topics.
 */
export const METODOS_SIN_TOKEN_DE_DAPRD: readonly string[] = ['listTopicSubscriptions', 'listInputBindings', 'healthCheck'];

/**
 * The same check for a gRPC service served to daprd: every method of `implementacion` (but the
 * `exentos`) answers UNAUTHENTICATED without calling the handler when the metadata lacks the token.
 */
export function conTokenApp(
  implementacion: grpc.UntypedServiceImplementation,
  log: Logger,
  token = tokenApp(),
  exentos: readonly string[] = METODOS_SIN_TOKEN_DE_DAPRD,
): grpc.UntypedServiceImplementation {
  if (token === undefined) return implementacion;
  const guardada: grpc.UntypedServiceImplementation = {};
  for (const [nombre, manejador] of Object.entries(implementacion)) {
    if (exentos.includes(nombre)) {
      guardada[nombre] = manejador;
      continue;
    }
    guardada[nombre] = ((call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      if (tokenCoincide(token, call.metadata.get(CABECERA_TOKEN)[0])) return (manejador as grpc.handleUnaryCall<unknown, unknown>)(call, callback);
      log.warn('llamada gRPC sin el token de la app: rechazada', { method: nombre, origin: call.getPeer() });
      // 16: UNAUTHENTICATED (the numeric code: this module only imports grpc-js' types).
      callback({ code: 16, details: `falta o no es válida la metadata ${CABECERA_TOKEN}` });
    }) as grpc.UntypedHandleCall;
  }
  return guardada;
}
