import { configDapr, configLote, entero, origenes, texto, type ConfigDapr, type ConfigLote } from '@aeroalpes/comun';

/** Runtime configuration of the ui BFF, read once from the environment (defaults: the local run). */
export interface ConfigUi {
  puerto: number;
  dapr: ConfigDapr;
  /**
   * The pub/sub component of the subscription to `eventos-reserva` (PUBSUB_BROADCAST_NAME, default
   * `pubsub-broadcast`): one Pulsar subscription per replica, so that every replica receives every
   * event for its own browsers (components/pubsub-broadcast.yaml). Its dead letters go through it
   * too. The ui uses no other pub/sub component.
   */
  pubsubDifusion: string;
  /** Dapr app id of the booking service (service invocation target). */
  appAeroAlpes: string;
  /** Timeout of one invocation through the sidecar (the sidecar's Resiliency policy has its own). */
  invocacionTimeoutMs: number;
  /** Origins allowed to open the websocket besides the page's own host (ALLOWED_ORIGINS, comma-separated). */
  origenesPermitidos: string[];
  /**
   * Host headers the websocket accepts (ALLOWED_HOSTS, comma-separated host[:port]; `*` any):
   * against DNS rebinding, where a hostile name resolves to this server and its page is then
   * "same-origin". Default: this port on localhost, 127.0.0.1 and [::1].
   */
  hostsPermitidos: readonly string[] | '*';
  ws: OpcionesWebsocket;
  /**
   * Dapr's app API token (APP_API_TOKEN, the same secret the sidecar has): when set, only requests
   * carrying it in `dapr-api-token` reach the subscription routes, so nobody who can reach the
   * page (through the Ingress) can post fake events to the browsers.
   */
  tokenApp: string | undefined;
  /** Events kept in the recent-events index sent to a page when it connects. */
  recientesMaximo: number;
  /** Bulk delivery of `eventos-reserva` (BULK_MAX_MENSAJES, BULK_ESPERA_MS); undefined: one event per request. */
  lote: ConfigLote | undefined;
}

export interface OpcionesWebsocket {
  /** Ping interval; a connection that did not answer the previous ping is terminated. */
  pingMs: number;
  /** A client whose unsent bytes exceed this is terminated (a slow browser is dropped, never awaited). */
  maxBufferBytes: number;
  maxClientes: number;
  /** Connections at once from one client address (WS_MAX_POR_CLIENTE). */
  maxPorCliente: number;
  /** Messages per second a browser may send (WS_MENSAJES_POR_SEGUNDO); bursts of twice that. */
  mensajesPorSegundo: number;
}

export function leerConfigUi(): ConfigUi {
  return {
    puerto: entero('PORT', 5678),
    dapr: configDapr(),
    pubsubDifusion: texto('PUBSUB_BROADCAST_NAME', 'pubsub-broadcast'),
    appAeroAlpes: texto('AEROALPES_APP_ID', 'aeroalpes'),
    invocacionTimeoutMs: entero('INVOCACION_TIMEOUT_MS', 15_000),
    origenesPermitidos: origenes(texto('ALLOWED_ORIGINS', '')),
    hostsPermitidos: hosts(texto('ALLOWED_HOSTS', ''), entero('PORT', 5678)),
    ws: {
      pingMs: entero('WS_PING_MS', 20_000),
      maxBufferBytes: entero('WS_MAX_BUFFER_BYTES', 1024 * 1024),
      maxClientes: entero('WS_MAX_CLIENTES', 2000),
      maxPorCliente: entero('WS_MAX_POR_CLIENTE', 20),
      mensajesPorSegundo: entero('WS_MENSAJES_POR_SEGUNDO', 20),
    },
    tokenApp: texto('APP_API_TOKEN', '') || undefined,
    recientesMaximo: entero('RECIENTES_MAXIMO', 100),
    lote: configLote(),
  };
}

/** `reservas.example.com, 127.0.0.1:5678` -> lower-cased hosts; `*` any; empty: this port on the loopback names. */
export function hosts(crudo: string, puerto: number): readonly string[] | '*' {
  if (crudo.trim() === '*') return '*';
  const lista = crudo
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  for (const h of lista) if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:[0-9]{1,5})?$/.test(h)) throw new Error(`ALLOWED_HOSTS: '${h}' is not a host[:port]`);
  return lista.length > 0 ? lista : [`localhost:${puerto}`, `127.0.0.1:${puerto}`, `[::1]:${puerto}`];
}
