import type { Server } from 'node:http';
import express from 'express';
import type { Logger } from './log';
import { texto } from './config';

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

/** Listens, and on SIGTERM/SIGINT closes the server and runs `cerrar` before exiting. */
export function escuchar(app: express.Express, port: number, log: Logger, cerrar: () => Promise<void> = async () => {}): Server {
  // HOST: loopback where only the sidecar calls (notificaciones), all interfaces where an Ingress does.
  const host = texto('HOST', '0.0.0.0');
  const server = app.listen(port, host, () => log.info('escuchando', { port, host }));
  const terminar = (senal: string) => {
    log.info('deteniendo', { signal: senal });
    server.close();
    server.closeAllConnections();
    cerrar()
      .catch((err: unknown) => log.error('error al cerrar', { err }))
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', () => terminar('SIGTERM'));
  process.once('SIGINT', () => terminar('SIGINT'));
  return server;
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
