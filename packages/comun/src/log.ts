/**
 * Structured JSON logs, one line per event, with the correlation id that travels from the HTTP
 * request through commands, events and notifications.
 */
export type Nivel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, campos?: Record<string, unknown>): void;
  info(msg: string, campos?: Record<string, unknown>): void;
  warn(msg: string, campos?: Record<string, unknown>): void;
  error(msg: string, campos?: Record<string, unknown>): void;
  con(campos: Record<string, unknown>): Logger;
}

const ORDEN: Record<Nivel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function crearLogger(servicio: string, base: Record<string, unknown> = {}, minimo: Nivel = (process.env.LOG_LEVEL as Nivel) ?? 'info'): Logger {
  const escribir = (nivel: Nivel, msg: string, campos?: Record<string, unknown>) => {
    if (ORDEN[nivel] < ORDEN[minimo]) return;
    const linea = JSON.stringify({ time: new Date().toISOString(), level: nivel, service: servicio, msg, ...base, ...campos }, errores);
    (nivel === 'error' || nivel === 'warn' ? process.stderr : process.stdout).write(`${linea}\n`);
  };
  return {
    debug: (m, c) => escribir('debug', m, c),
    info: (m, c) => escribir('info', m, c),
    warn: (m, c) => escribir('warn', m, c),
    error: (m, c) => escribir('error', m, c),
    con: (campos) => crearLogger(servicio, { ...base, ...campos }, minimo),
  };
}

function errores(_clave: string, valor: unknown): unknown {
  return valor instanceof Error ? { name: valor.name, message: valor.message } : valor;
}
