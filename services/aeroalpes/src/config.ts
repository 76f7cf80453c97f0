import { Nivel, origenes, tokenDapr } from '@aeroalpes/comun';
import { LOTE_POR_DEFECTO } from './seedwork/infraestructura/lotes';

/** Runtime configuration of the aeroalpes service, from the environment (defaults: the local run). */
export interface Config {
  puerto: number;
  /** Where the REST API listens: the pod's address for the Ingress (HOST, default all interfaces). */
  host: string;
  /** Where the gRPC server listens: only daprd calls it, so loopback (GRPC_HOST, default 127.0.0.1). */
  hostGrpc: string;
  /** gRPC server: Dapr's app port (AppCallback) and the vuelos.Vuelos API. */
  puertoGrpc: number;
  /** publicacionEnLote: publishes that arrive together go in one bulk publish to the sidecar. */
  dapr: { urlSidecar: string; pubsub: string; publicacionTimeoutMs: number; publicacionEnLote: boolean; token?: string };
  mongodb: {
    uri: string;
    baseDatos: string;
    /** arriendos: the relays' leases on aggregates (shared by the replicas). */
    colecciones: { reservas: string; vista: string; clientes: string; comandos: string; arriendos: string };
    /**
     * How long a request waits for MongoDB before answering 503: the driver's server selection
     * (MONGODB_SELECCION_MS, default 1500) and its connection attempts (MONGODB_CONEXION_MS,
     * default 1500, also the heartbeat's timeout).
     */
    tiempos: { seleccionMs: number; conexionMs: number };
  };
  topics: { eventos: string; comandos: string };
  /**
   * intentosMaximos: failed passes before an aggregate is parked (RelayOutbox.cuarentena).
   * arriendoMs (RELAY_ARRIENDO_MS, default 30000): the lease a replica's relay holds on an
   * aggregate while it drains it, so the relays of several replicas never publish the same
   * messages; longer than PUBLICACION_TIMEOUT_MS (a drain outliving its lease may be repeated by
   * another replica), and the longest a replica that died holding one delays that aggregate.
   */
  relay: { intervaloMs: number; edadMinimaMs: number; limite: number; intentosMaximos: number; arriendoMs: number };
  /** Group commit of the hot-path writes: items per batch, batches in flight per kind of write. */
  lotes: { maximo: number; paralelos: number };
  /** How long a list page's total is reused before it is counted again. */
  totalTtlMs: number;
  /**
   * Subscriptions delivered in bulk (topic names). Dapr hands a subscription one bulk call at a
   * time, so a topic whose handler waits on the database and the broker gets no overlap between
   * batches: measured in the README's benchmark section before choosing.
   */
  bulkTopicos: string[];
  limiteCuerpoBytes: number;
  /** Other sites whose pages may send body-less state-changing requests (ALLOWED_ORIGINS; default none). */
  origenesPermitidos: string[];
  nivelLog: Nivel;
  /** Longest wait for in-flight requests on SIGTERM/SIGINT before closing anyway. */
  apagadoMs: number;
}

/**
 * Largest request body the API reads (LIMITE_CUERPO_BYTES): REST bodies (413 beyond) and the
 * requests of the gRPC API vuelos.Vuelos (RESOURCE_EXHAUSTED beyond).
 */
export const LIMITE_CUERPO_BYTES_POR_DEFECTO = 256 * 1024;

type Entorno = Record<string, string | undefined>;

export function leerConfig(env: Entorno = process.env): Config {
  const texto = (nombre: string, porDefecto: string): string => {
    const v = env[nombre];
    return v === undefined || v.trim() === '' ? porDefecto : v.trim();
  };
  const entero = (nombre: string, porDefecto: number, minimo = 0, maximo = Number.MAX_SAFE_INTEGER): number => {
    const crudo = env[nombre];
    if (crudo === undefined || crudo.trim() === '') return porDefecto;
    const v = Number(crudo);
    if (!Number.isInteger(v) || v < minimo || v > maximo) {
      throw new Error(`la variable de entorno ${nombre} debe ser un entero entre ${minimo} y ${maximo} (es '${crudo}')`);
    }
    return v;
  };
  const nombreColeccion = (nombre: string, porDefecto: string): string => {
    const v = texto(nombre, porDefecto);
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/.test(v)) throw new Error(`${nombre}: nombre de colección inválido '${v}'`);
    return v;
  };
  const nivel = texto('LOG_LEVEL', 'info');
  if (!['debug', 'info', 'warn', 'error'].includes(nivel)) throw new Error(`LOG_LEVEL debe ser debug, info, warn o error (es '${nivel}')`);
  const baseDatos = texto('MONGODB_DB', 'aeroalpes');
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(baseDatos)) throw new Error(`MONGODB_DB: nombre de base de datos inválido '${baseDatos}'`);
  const publicacionTimeoutMs = entero('PUBLICACION_TIMEOUT_MS', 3000, 100, 60000);
  const arriendoMs = entero('RELAY_ARRIENDO_MS', 30000, 1000, 3_600_000);
  if (arriendoMs <= publicacionTimeoutMs) {
    throw new Error(
      `RELAY_ARRIENDO_MS (${arriendoMs}) debe ser mayor que PUBLICACION_TIMEOUT_MS (${publicacionTimeoutMs}): un arriendo más corto que una publicación deja que otra réplica la repita`,
    );
  }

  return {
    puerto: entero('PORT', 5000, 0, 65535),
    puertoGrpc: entero('GRPC_PORT', 50051, 0, 65535),
    host: texto('HOST', '0.0.0.0'),
    hostGrpc: texto('GRPC_HOST', '127.0.0.1'),
    dapr: {
      urlSidecar: `http://${texto('DAPR_HOST', '127.0.0.1')}:${entero('DAPR_HTTP_PORT', 3500, 1, 65535)}`,
      pubsub: texto('PUBSUB_NAME', 'pubsub'),
      publicacionTimeoutMs,
      publicacionEnLote: entero('PUBLICACION_EN_LOTE', 1, 0, 1) === 1,
      ...(tokenDapr() ? { token: tokenDapr() } : {}),
    },
    mongodb: {
      uri: texto('MONGODB_URI', 'mongodb://127.0.0.1:27017/'),
      baseDatos,
      colecciones: {
        reservas: nombreColeccion('MONGODB_COLECCION_RESERVAS', 'reservas'),
        vista: nombreColeccion('MONGODB_COLECCION_RESERVAS_VISTA', 'reservas_vista'),
        clientes: nombreColeccion('MONGODB_COLECCION_CLIENTES', 'clientes'),
        comandos: nombreColeccion('MONGODB_COLECCION_COMANDOS', 'comandos_pendientes'),
        arriendos: nombreColeccion('MONGODB_COLECCION_ARRIENDOS', 'arriendos_relay'),
      },
      tiempos: {
        seleccionMs: entero('MONGODB_SELECCION_MS', 1500, 100, 60000),
        conexionMs: entero('MONGODB_CONEXION_MS', 1500, 100, 60000),
      },
    },
    topics: {
      eventos: texto('TOPIC_EVENTOS', 'eventos-reserva'),
      comandos: texto('TOPIC_COMANDOS', 'comandos-reserva'),
    },
    relay: {
      intervaloMs: entero('RELAY_INTERVALO_MS', 5000),
      edadMinimaMs: entero('RELAY_EDAD_MINIMA_MS', 10000),
      limite: entero('RELAY_LIMITE', 100, 1, 10000),
      intentosMaximos: entero('RELAY_INTENTOS_MAXIMOS', 10, 1, 1000),
      arriendoMs,
    },
    lotes: {
      maximo: entero('LOTE_MAXIMO', LOTE_POR_DEFECTO.maximo, 1, 10000),
      paralelos: entero('LOTE_PARALELOS', LOTE_POR_DEFECTO.paralelos, 1, 64),
    },
    totalTtlMs: entero('TOTAL_TTL_MS', 5000, 0, 3_600_000),
    // Default: the events (the projection's writes batch well); the commands gain nothing from
    // bulk delivery and lose the overlap between batches (README, benchmark section).
    bulkTopicos: texto('BULK_TOPICOS', texto('TOPIC_EVENTOS', 'eventos-reserva'))
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== ''),
    limiteCuerpoBytes: entero('LIMITE_CUERPO_BYTES', LIMITE_CUERPO_BYTES_POR_DEFECTO, 1024, 16 * 1024 * 1024),
    origenesPermitidos: origenes(texto('ALLOWED_ORIGINS', '')),
    nivelLog: nivel as Nivel,
    apagadoMs: entero('APAGADO_MS', 10000),
  };
}
