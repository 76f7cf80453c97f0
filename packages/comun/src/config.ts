/** Reads configuration from the environment, failing fast with the variable's name. */
export function entero(nombre: string, porDefecto: number): number {
  const crudo = process.env[nombre];
  if (crudo === undefined || crudo === '') return porDefecto;
  const valor = Number(crudo);
  if (!Number.isInteger(valor) || valor < 0) throw new Error(`environment variable ${nombre} must be a non-negative integer, got '${crudo}'`);
  return valor;
}

export function texto(nombre: string, porDefecto: string): string {
  const crudo = process.env[nombre];
  return crudo === undefined || crudo === '' ? porDefecto : crudo;
}

/** Names of the Dapr components and topics: configuration, never literals at call sites. */
export interface ConfigDapr {
  host: string;
  httpPort: number;
  pubsub: string;
  statestore: string;
  topicEventos: string;
  topicComandos: string;
}

export function configDapr(): ConfigDapr {
  return {
    host: texto('DAPR_HOST', '127.0.0.1'),
    httpPort: entero('DAPR_HTTP_PORT', 3500),
    pubsub: texto('PUBSUB_NAME', 'pubsub'),
    statestore: texto('STATESTORE_NAME', 'statestore'),
    topicEventos: texto('TOPIC_EVENTOS', 'eventos-reserva'),
    topicComandos: texto('TOPIC_COMANDOS', 'comandos-reserva'),
  };
}

/** Dapr bulk delivery of a subscription: up to `maxMensajes` per request, waiting at most `esperaMs` to fill one. */
export interface ConfigLote {
  maxMensajes: number;
  esperaMs: number;
}

/**
 * Bulk delivery for the subscriptions to `eventos-reserva`: BULK_MAX_MENSAJES (default 50) and
 * BULK_ESPERA_MS (default 20). 0 or 1 messages disables it (one message per request), and so does
 * 0 ms: Dapr reads a zero wait as its own default of 1 s, never as "do not wait".
 */
export function configLote(): ConfigLote | undefined {
  const maxMensajes = entero('BULK_MAX_MENSAJES', 50);
  const esperaMs = entero('BULK_ESPERA_MS', 20);
  return maxMensajes > 1 && esperaMs > 0 ? { maxMensajes, esperaMs } : undefined;
}
