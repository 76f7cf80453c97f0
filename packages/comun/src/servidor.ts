import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import express from 'express';
import type { Logger } from './log';
import { entero, texto } from './config';
import type { Salud } from './salud';

/** JSON errors everywhere: unknown routes and unexpected failures never answer with HTML. */
export function erroresJson(app: express.Express, log: Logger): void {
  app.use((_req, res) => {
    res.status(404).json({ error: 'no_encontrado', mensaje: 'ruta desconocida' });
  });
  app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const e = err as { status?: number; type?: string; message?: string };
    if (e.type === 'entity.too.large') return void res.status(413).json({ error: 'demasiado_grande', mensaje: 'el cuerpo excede el límite' });
    if (e.type === 'entity.parse.failed') return void res.status(400).json({ error: 'json_invalido', mensaje: 'el cuerpo no es JSON válido' });
    log.error('error inesperado', { err });
    res.status(500).json({ error: 'interno', mensaje: 'error interno' });
  });
}

export interface OpcionesEscuchar {
  /** Readiness turns to 503 (`draining`) as soon as the drain starts. */
  salud?: Salud;
  /** At the start of the drain, beside it (the ui closes its websockets, 1001 going away). */
  alDrenar?: () => Promise<void>;
  /** After the drain (requests done or deadline passed), before exiting: flush, close clients. */
  cerrar?: () => Promise<void>;
  /** Longest wait for in-flight requests (default APAGADO_MS, 10000: the same variable as aeroalpes). */
  apagadoMs?: number;
}

/**
 * Listens, and on SIGTERM/SIGINT shuts down gracefully (see `apagador`) and exits: 0 when the
 * shutdown finished, 1 when closing failed.
 */
export function escuchar(app: express.Express, port: number, log: Logger, opciones: OpcionesEscuchar = {}): Server {
  // HOST: loopback where only the sidecar calls (notificaciones), all interfaces where an Ingress does.
  const host = texto('HOST', '0.0.0.0');
  const server = app.listen(port, host, () => log.info('escuchando', { port, host }));
  const apagar = apagador(server, log, opciones);
  for (const senal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(senal, () => {
      apagar(senal).then(
        () => process.exit(0),
        (err: unknown) => {
          log.error('error al cerrar', { err });
          process.exit(1);
        },
      );
    });
  }
  return server;
}

/**
 * The graceful shutdown of an HTTP server, without exiting: readiness turns to `draining`, the
 * server stops accepting connections, in-flight requests finish within `apagadoMs` (see
 * `drenarServidor`) while `alDrenar` runs, then `cerrar`. Runs once; later calls wait for the first.
 */
export function apagador(server: Server, log: Logger, opciones: OpcionesEscuchar = {}): (senal: string) => Promise<void> {
  let enCurso: Promise<void> | undefined;
  const apagadoMs = opciones.apagadoMs ?? entero('APAGADO_MS', 10000);
  return (senal) => {
    enCurso ??= (async () => {
      log.info('deteniendo', { signal: senal, deadline_ms: apagadoMs });
      opciones.salud?.drenar();
      const [{ aTiempo }] = await Promise.all([drenarServidor(server, apagadoMs), opciones.alDrenar?.()]);
      if (!aTiempo) log.warn('apagado: solicitudes cortadas al vencer el plazo', { deadline_ms: apagadoMs });
      await opciones.cerrar?.();
      log.info('detenido');
    })();
    return enCurso;
  };
}

/**
 * Drains an HTTP server: it stops accepting connections at once, idle keep-alive connections are
 * closed (and each busy one as soon as its request is answered, which goes out with
 * `Connection: close`), and once `limiteMs` pass whatever is left is cut. Resolves when the server
 * is closed; `aTiempo` is false when the deadline cut requests.
 */
export function drenarServidor(server: Server, limiteMs: number): Promise<{ aTiempo: boolean }> {
  if (!server.listening) return Promise.resolve({ aTiempo: true });
  return new Promise((resolve) => {
    let aTiempo = true;
    // A request that still arrives on an open keep-alive connection is served, and closes it.
    const sinKeepAlive = (_req: IncomingMessage, res: ServerResponse) => {
      if (!res.headersSent) res.setHeader('Connection', 'close');
    };
    server.prependListener('request', sinKeepAlive);
    const barrido = setInterval(() => server.closeIdleConnections(), 50);
    const limite = setTimeout(() => {
      aTiempo = false;
      server.closeAllConnections();
    }, limiteMs);
    server.close(() => {
      clearInterval(barrido);
      clearTimeout(limite);
      server.off('request', sinKeepAlive);
      resolve({ aTiempo });
    });
    server.closeIdleConnections();
  });
}

/**
 * Whether a request declares a JSON body (`Content-Type: application/json`, any parameters), with
 * or without a body. State-changing routes require it: a page of another site cannot send this
 * content type without a CORS preflight, which our services never grant (no cross-site requests
 * on a user's behalf).
 */
export function declaraJson(req: express.Request): boolean {
  return (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}
