import { MAX_REPLICAS } from '@aeroalpes/platform';

/**
 * Benchmark settings: defaults, then environment (BENCH_*), then flags (`--rate 300`, `--rate=300`).
 * `--quick` (or BENCH_QUICK=1) starts from shorter defaults so a whole run takes under 2 minutes;
 * explicit values still override it.
 */
export interface ConfigBench {
  rapido: boolean;
  /**
   * Replicas of aeroalpes to compare with one: 1 is a single run (one replica of each service);
   * N > 1 runs every phase with one replica of aeroalpes, then again on a fresh platform with N,
   * and prints the two side by side (notificaciones and ui stay at one replica).
   */
  replicas: number;
  /** Phase 1, not counted. */
  calentamiento: { tasa: number; segundos: number };
  /** Phase 2: open-loop at a fixed rate (the p99 POST->notification target is judged at 100/s). */
  fija: { tasa: number; segundos: number };
  /** Phase 3: rates tried in order until one is not sustained (empty: skipped). */
  escalones: number[];
  segundosEscalon: number;
  /** Longest wait after a phase's last POST for its reservas and notifications to arrive. */
  drenajeSegundos: number;
  /** A step is not sustained when its p99 POST->notification exceeds this. */
  cotaP99Ms: number;
  /** A step is not sustained when the median latency of its last third exceeds its first third's by this (backlog growing). */
  cotaCrecimientoMs: number;
  /** One reserva in N is polled on the read side (write model, then read model). */
  muestraCada: number;
  sondeoMs: number;
  /** At most this many sampled reservas polled at once (bounds the load the sampling adds). */
  sondeosConcurrentes: number;
  /** Concurrency of the after-phase fetch of notifications. */
  concurrenciaRecoleccion: number;
  timeoutPeticionMs: number;
  /**
   * Last phase (optional): reservas bulk-loaded into the write and read models until `documentos`
   * are stored, then GET /vuelos/reserva-query/{id} open-loop at `tasa` for `segundos`.
   */
  consultas: { activa: boolean; documentos: number; lote: number; tasa: number; segundos: number; calentamientoSegundos: number };
  /**
   * Wait before reading PostgreSQL's statistics, after a phase's drain and after the benchmark's own
   * use of the stores (before a window opens): a connection that goes idle reports its last
   * counters up to 10 s later (PGSTAT_IDLE_INTERVAL).
   */
  asentarEstadisticasSegundos: number;
  /** Operations of each kind the store latency probe times (at each platform's start and end). */
  operacionesSonda: number;
  /** LOG_LEVEL of the services (info logs one line per notification and per command). */
  nivelLog: string;
  /** Database of aeroalpes for the run: must end in _bench. */
  baseDatos: string;
  /** Copy the platform's logs into test-results/ next to the JSON. */
  guardarLogs: boolean;
}

export const AYUDA = `npm run bench -- [--quick] [options]   (each option also as an environment variable)
  --quick                      short run (about 2 min)                     BENCH_QUICK=1
  --replicas N                 run with 1 replica of aeroalpes, then with  BENCH_REPLICAS
                               N on a fresh platform, side by side
                               (1: a single run; 2 to ${MAX_REPLICAS})
  --warmup-rate N              warm-up rate /s (50; quick 50)              BENCH_WARMUP_RATE
  --warmup-seconds N           warm-up length (5; quick 3)                 BENCH_WARMUP_SECONDS
  --rate N                     fixed-rate phase /s (100)                   BENCH_RATE
  --seconds N                  fixed-rate phase length (20; quick 10)      BENCH_SECONDS
  --steps A,B,C                step rates /s (10,25,50,100,175,250,350,    BENCH_STEPS
                               500,750; quick 250,500; "none" skips them)
  --step-seconds N             length of each step (15; quick 8)           BENCH_STEP_SECONDS
  --drain-seconds N            max wait for stragglers (60; quick 15)      BENCH_DRAIN_SECONDS
  --p99-bound-ms N             step fails above this p99 (2000)            BENCH_P99_BOUND_MS
  --growth-bound-ms N          step fails if latency grows by this (500)   BENCH_GROWTH_BOUND_MS
  --sample-every N             poll 1 reserva in N on the read side (10)   BENCH_SAMPLE_EVERY
  --poll-ms N                  poll interval (15)                          BENCH_POLL_MS
  --max-pollers N              sampled reservas polled at once (8)         BENCH_MAX_POLLERS
  --query-load[=0]             query phase: bulk-load reservas, then GET   BENCH_QUERY_LOAD
                               /vuelos/reserva-query/{id} (on; quick off)
  --query-docs N               reservas stored for it (100000)             BENCH_QUERY_DOCS
  --query-rate N               GETs /s (500)                               BENCH_QUERY_RATE
  --query-seconds N            length, after a 2 s warm-up (20; quick 10)  BENCH_QUERY_SECONDS
  --stats-settle-seconds N     wait for PostgreSQL to publish its counters BENCH_STATS_SETTLE_SECONDS
                               before and after each measured window
                               (11; quick 3: may miss ~1 s of activity)
  --probe-ops N                ops per kind of the store latency probe (200)  BENCH_PROBE_OPS
  --log-level L                services' LOG_LEVEL (warn)                  BENCH_LOG_LEVEL
  --db NAME                    aeroalpes database, *_bench (aeroalpes_bench) BENCH_DB
  --no-logs                    do not copy the platform logs to test-results/  BENCH_KEEP_LOGS=0`;

export class ErrorConfig extends Error {}

export function leerConfig(argv: string[], env: NodeJS.ProcessEnv): ConfigBench {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new ErrorConfig(`unexpected argument '${a}'`);
    const [nombre, valorEnLinea] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (['quick', 'no-logs', 'help', 'query-load'].includes(nombre)) {
      flags.set(nombre, valorEnLinea ?? '1');
      continue;
    }
    const valor = valorEnLinea ?? argv[++i];
    if (valor === undefined) throw new ErrorConfig(`--${nombre} needs a value`);
    flags.set(nombre, valor);
  }
  const conocidas = [
    'quick',
    'no-logs',
    'help',
    'replicas',
    'warmup-rate',
    'warmup-seconds',
    'rate',
    'seconds',
    'steps',
    'step-seconds',
    'drain-seconds',
    'p99-bound-ms',
    'growth-bound-ms',
    'sample-every',
    'poll-ms',
    'max-pollers',
    'log-level',
    'db',
    'query-load',
    'query-docs',
    'query-rate',
    'query-seconds',
    'stats-settle-seconds',
    'probe-ops',
  ];
  for (const f of flags.keys()) if (!conocidas.includes(f)) throw new ErrorConfig(`unknown option --${f}`);
  if (flags.has('help')) throw new ErrorConfig('');

  const crudo = (flag: string, variable: string): string | undefined => flags.get(flag) ?? (env[variable]?.trim() || undefined);
  const activado = (flag: string, variable: string, normal: boolean): boolean => {
    const v = crudo(flag, variable);
    return v === undefined ? normal : v !== '0';
  };
  const rapido = activado('quick', 'BENCH_QUICK', false);
  const numero = (flag: string, variable: string, normal: number, quick: number, min: number, max: number): number => {
    const v = crudo(flag, variable);
    if (v === undefined) return rapido ? quick : normal;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) throw new ErrorConfig(`--${flag} / ${variable} must be a number from ${min} to ${max} (got '${v}')`);
    return n;
  };
  const pasosCrudo = crudo('steps', 'BENCH_STEPS') ?? (rapido ? '250,500' : '10,25,50,100,175,250,350,500,750');
  const escalones =
    pasosCrudo === 'none'
      ? []
      : pasosCrudo.split(',').map((s) => {
          const n = Number(s.trim());
          if (!Number.isFinite(n) || n <= 0 || n > 5000) throw new ErrorConfig(`--steps / BENCH_STEPS: '${s}' is not a rate from 1 to 5000`);
          return n;
        });
  const nivelLog = crudo('log-level', 'BENCH_LOG_LEVEL') ?? 'warn';
  if (!['debug', 'info', 'warn', 'error'].includes(nivelLog)) throw new ErrorConfig(`--log-level must be debug, info, warn or error (got '${nivelLog}')`);
  const baseDatos = crudo('db', 'BENCH_DB') ?? 'aeroalpes_bench';
  if (!/^[A-Za-z0-9_-]{1,57}_bench$/.test(baseDatos)) throw new ErrorConfig(`--db / BENCH_DB: '${baseDatos}' must be a database name ending in _bench`);
  const sinLogs = flags.has('no-logs') || env.BENCH_KEEP_LOGS === '0';
  const replicasCrudo = crudo('replicas', 'BENCH_REPLICAS') ?? '1';
  if (!/^[0-9]+$/.test(replicasCrudo) || Number(replicasCrudo) < 1 || Number(replicasCrudo) > MAX_REPLICAS) {
    throw new ErrorConfig(`--replicas / BENCH_REPLICAS must be a whole number from 1 to ${MAX_REPLICAS} (got '${replicasCrudo}')`);
  }

  return {
    rapido,
    replicas: Number(replicasCrudo),
    calentamiento: { tasa: numero('warmup-rate', 'BENCH_WARMUP_RATE', 50, 50, 1, 5000), segundos: numero('warmup-seconds', 'BENCH_WARMUP_SECONDS', 5, 3, 0, 600) },
    fija: { tasa: numero('rate', 'BENCH_RATE', 100, 100, 1, 5000), segundos: numero('seconds', 'BENCH_SECONDS', 20, 10, 0, 600) },
    escalones,
    segundosEscalon: numero('step-seconds', 'BENCH_STEP_SECONDS', 15, 8, 1, 600),
    drenajeSegundos: numero('drain-seconds', 'BENCH_DRAIN_SECONDS', 60, 15, 1, 600),
    cotaP99Ms: numero('p99-bound-ms', 'BENCH_P99_BOUND_MS', 2000, 2000, 1, 600_000),
    cotaCrecimientoMs: numero('growth-bound-ms', 'BENCH_GROWTH_BOUND_MS', 500, 500, 1, 600_000),
    muestraCada: Math.round(numero('sample-every', 'BENCH_SAMPLE_EVERY', 10, 10, 1, 1_000_000)),
    sondeoMs: numero('poll-ms', 'BENCH_POLL_MS', 15, 15, 1, 10_000),
    sondeosConcurrentes: Math.round(numero('max-pollers', 'BENCH_MAX_POLLERS', 8, 8, 0, 1000)),
    consultas: {
      activa: activado('query-load', 'BENCH_QUERY_LOAD', !rapido),
      documentos: Math.round(numero('query-docs', 'BENCH_QUERY_DOCS', 100_000, 100_000, 1, 10_000_000)),
      lote: 1000,
      tasa: numero('query-rate', 'BENCH_QUERY_RATE', 500, 500, 1, 10_000),
      segundos: numero('query-seconds', 'BENCH_QUERY_SECONDS', 20, 10, 1, 600),
      calentamientoSegundos: 2,
    },
    asentarEstadisticasSegundos: numero('stats-settle-seconds', 'BENCH_STATS_SETTLE_SECONDS', 11, 3, 0, 120),
    operacionesSonda: Math.round(numero('probe-ops', 'BENCH_PROBE_OPS', 200, 200, 1, 10_000)),
    concurrenciaRecoleccion: 8,
    timeoutPeticionMs: 15_000,
    nivelLog,
    baseDatos,
    guardarLogs: !sinLogs,
  };
}
