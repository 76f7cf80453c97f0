/**
 * Structured JSON logs, one line per event, with the correlation id that travels from the HTTP
 * request through commands, events and notifications (fields added with `con`).
 */
export type Nivel = 'debug' | 'info' | 'warn' | 'error';

/**
 * The field names a log line may carry, one vocabulary for every service: snake_case English,
 * domain words as the contracts spell them (id_reserva, estado). A name outside it does not
 * compile. `time`, `level`, `service` and `msg` are the logger's own.
 */
export const CAMPOS_LOG = [
  // Who and what: the ids that let one follow a request through commands, events and notifications.
  'correlation_id',
  'message_id',
  'message_ids',
  'previous_message_id',
  'entry_id',
  'aggregate_id',
  'id_reserva',
  // The message or request.
  'type',
  'action',
  'topic',
  'pubsubname',
  'version',
  'estado',
  'method',
  'path',
  'fields',
  'entries',
  'events',
  // How it went.
  'err',
  'errors',
  'error_type',
  'reason',
  'rule',
  'status',
  'code',
  'detail',
  'ok',
  'written',
  'write',
  'updated',
  'published',
  'failed',
  'parked',
  'duration_ms',
  'attempt',
  'retry_in_ms',
  'deadline_ms',
  // The process and its connections.
  'port',
  'grpc_port',
  'database',
  'collection',
  'collections',
  'store',
  'signal',
  'page',
  'websocket',
  'aeroalpes_app',
  'allowed_origins',
  'origin',
  'host',
  'client',
  'browsers',
  'buffered_bytes',
] as const;
export type CampoLog = (typeof CAMPOS_LOG)[number];
export type Campos = { readonly [C in CampoLog]?: unknown };

export interface Logger {
  debug(mensaje: string, campos?: Campos): void;
  info(mensaje: string, campos?: Campos): void;
  warn(mensaje: string, campos?: Campos): void;
  error(mensaje: string, campos?: Campos): void;
  con(campos: Campos): Logger;
}

const ORDEN: Record<Nivel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface OpcionesLogger {
  servicio: string;
  nivel?: Nivel;
  escribir?: (linea: string, nivel: Nivel) => void;
  base?: Campos;
  reloj?: () => Date;
}

export function crearLogger(opciones: OpcionesLogger): Logger {
  const { servicio, nivel = (process.env.LOG_LEVEL as Nivel | undefined) ?? 'info', base = {}, reloj = () => new Date() } = opciones;
  const escribir = opciones.escribir ?? ((linea: string, n: Nivel) => (n === 'error' || n === 'warn' ? process.stderr : process.stdout).write(`${linea}\n`));
  const emitir = (n: Nivel, mensaje: string, campos?: Campos) => {
    if (ORDEN[n] < ORDEN[nivel]) return;
    escribir(JSON.stringify({ time: reloj().toISOString(), level: n, service: servicio, msg: mensaje, ...base, ...campos }, reemplazar), n);
  };
  return {
    debug: (m, c) => emitir('debug', m, c),
    info: (m, c) => emitir('info', m, c),
    warn: (m, c) => emitir('warn', m, c),
    error: (m, c) => emitir('error', m, c),
    con: (campos) => crearLogger({ ...opciones, escribir, base: { ...base, ...campos } }),
  };
}

/** Errors are logged as name + message (+ stack only at debug level would be a choice; never to clients). */
function reemplazar(_clave: string, valor: unknown): unknown {
  if (valor instanceof Error) return { name: valor.name, message: valor.message, stack: valor.stack };
  return valor;
}

export const loggerSilencioso: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  con: () => loggerSilencioso,
};

export interface LineaLog {
  nivel: Nivel;
  msg: string;
  campos: Campos;
}

/** A logger that keeps its lines in `lineas` (tests assert on them) and prints nothing. */
export function loggerEnMemoria(lineas: LineaLog[] = []): Logger & { lineas: LineaLog[] } {
  const crear = (base: Campos): Logger => {
    const emitir = (nivel: Nivel) => (msg: string, campos?: Campos) => void lineas.push({ nivel, msg, campos: { ...base, ...campos } });
    return { debug: emitir('debug'), info: emitir('info'), warn: emitir('warn'), error: emitir('error'), con: (campos) => crear({ ...base, ...campos }) };
  };
  return Object.assign(crear({}), { lineas });
}
