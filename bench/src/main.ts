/**
 * `npm run bench [-- --quick]`: starts a private AeroAlpes platform (Pulsar standalone, PostgreSQL,
 * FerretDB on it, aeroalpes, notificaciones and ui each with its daprd) on free loopback ports, in
 * its own folder under the cache and its own database (*_bench), so a developer's `npm start` is
 * never touched; drives asynchronous creates (POST /vuelos/reserva-comando) open-loop through a
 * warm-up, a fixed-rate phase and rising steps, then (optionally) GETs of the read model with many
 * reservas stored; times the store's operations at each platform's start and end; prints the
 * figures, CPU and store operations per reserva, and the targets (PASS/FAIL), and writes them as
 * JSON to test-results/bench-<timestamp>.json. With `--replicas N` all of it runs twice, with one
 * replica of aeroalpes and then with N (a fresh platform each), and the two are compared side by
 * side. Everything it started is stopped at the end, on an error and on Ctrl-C.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Db, MongoClient, MongoNetworkTimeoutError } from 'mongodb';
import {
  Binaries,
  cacheDir,
  DAPR_VERSION,
  describirReplicas,
  ensureRuntime,
  FERRETDB_VERSION,
  freePortPlan,
  nombreReplica,
  POSTGRES_MAJOR,
  PostgresInfo,
  ProvisioningError,
  PULSAR_VERSION,
  removeRunData,
  Replicas,
  REPO_ROOT,
  ROOT_PG_DIR,
  SERVICES,
  ServiceName,
  Stack,
  StartupError,
  startStack,
  UNA_REPLICA,
} from '@aeroalpes/platform';
import { ConsumoAlmacen, EstadisticasAlmacen, LecturaAlmacen } from './almacen';
import { analizar, cpuPorUnidad, Fase, FaseConsultas, juzgarEscalon, Medida, terminadas } from './analisis';
import { cargar } from './carga';
import { compararReplicas, informeReplicas } from './comparacion';
import { AYUDA, ConfigBench, ErrorConfig, leerConfig } from './config';
import { analizarConsultas, cargarReservas, consultar } from './consultas';
import { FabricaDocumentos } from './documentos';
import {
  dondeVaElTiempo,
  METAS,
  objetivos,
  sondeosPorUnidad,
  tablaAlmacen,
  tablaConsultas,
  tablaCpuPorUnidad,
  tablaFases,
  tablaObjetivos,
  tablaProcesos,
  tablaSonda,
} from './informe';
import { Muestra, raspar, Salto, saltos } from './metricas-dapr';
import { memoria, MuestreoProcesos } from './procesos';
import { confirmadosPulsar, esperarDrenaje, outboxPendiente, presentes, presentesHasta, recogerNotificaciones } from './recoleccion';
import { Problema, problemasEnRegistros } from './registros';
import { comparar, prepararSonda, Sonda, sondear } from './sonda';

const COLECCION_RESERVAS = process.env.MONGODB_COLECCION_RESERVAS || 'reservas';
const COLECCION_VISTA = process.env.MONGODB_COLECCION_RESERVAS_VISTA || 'reservas_vista';
const TOPIC_EVENTOS = process.env.TOPIC_EVENTOS || 'eventos-reserva';
/** Dapr names a Pulsar subscription after the app id. */
const SUSCRIPCION_NOTIFICACIONES = 'notificaciones';
/** The contract's minimal reserva (one itinerario, odo, segmento and leg, BOG -> JFK), shared with the tests. */
const CUERPO_RESERVA = JSON.stringify(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', 'reserva.json'), 'utf8')));

const T0 = Date.now();
const log = (linea: string) => process.stdout.write(`${linea}\n`);
/** Progress lines carry the seconds since the start, to see where a run spends its time. */
const paso = (linea: string) => log(`[${((Date.now() - T0) / 1000).toFixed(1).padStart(6)} s] ${linea}`);
const mb = (kb: number) => Math.round((kb * 1024) / 1e5) / 10;
const dormir = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Longest a probe spends on one kind of operation. */
const PRESUPUESTO_SONDA_MS = 3000;
/**
 * Longest the benchmark waits for the store to answer one of its own operations (a check, the
 * probe, an insertMany of the bulk load): a store that stops answering ends the run with an error
 * instead of holding the machine (and the platform lock) forever.
 */
const ESPERA_ALMACEN_MS = 60_000;

class Interrumpido extends Error {}
/** A platform process died while the benchmark ran. */
class ProcesoCaido extends Error {}

/** What one platform (one startStack) left when it was stopped. */
interface Cierre {
  plataforma: number;
  /** Accepted on this platform, and documents in `reservas` at the end. */
  aceptados: number;
  reservasEnMongo: number;
  /** Documents in `reservas` whose id no 202 answer gave: from requests without an answer (timeout, reset) or duplicates. */
  reservasDesconocidas: number;
  /** Requests answered neither 202 nor 4xx/5xx (timeout, connection error): the command may have been accepted. */
  sinRespuesta: number;
  /** Reservas unfinished at their phase's drain deadline, and how many of them were finished when the platform stopped. */
  noTerminadas: number;
  terminadasDespues: number;
  /** Reservas the query phase loaded straight into MongoDB (not accepted through the API, so not unknown either). */
  cargadasDirecto: number;
}

/** The store latency probe of one platform: at its start (empty) and when it was stopped. */
interface SondasPlataforma {
  plataforma: number;
  inicio?: Sonda;
  fin?: Sonda;
}

class Benchmark {
  private readonly abortador = new AbortController();
  private binarios: Binaries | undefined;
  private stack: Stack | undefined;
  private mongo: MongoClient | undefined;
  private db: Db | undefined;
  private fallo: Error | undefined;
  private deteniendo = false;
  private arrancando = false;
  private plataforma = 0;
  /** Messages of eventos-reserva notificaciones had acknowledged when the platform was up. */
  private entregados0 = 0;
  private aceptadosPlataforma = 0;
  private readonly idsPlataforma = new Set<string>();
  private sinRespuestaPlataforma = 0;
  /** Per phase of the current platform: accepted reservas not finished (notification, write model, read model) at its drain deadline. */
  private readonly faltantes = new Map<string, string[]>();
  /** Peak RSS (VmHWM, MB) per process name, highest over every platform started. */
  private readonly hwm = new Map<string, number | null>();
  /** The phases measured so far (what a run that fails part-way still has to show). */
  readonly fases: Fase[] = [];
  /** The phase running now (named when the run fails in it). */
  private faseEnCurso: string | undefined;
  private readonly problemas: Problema[] = [];
  private readonly cierres: Cierre[] = [];
  /** PostgreSQL's counters (undefined: the platform has no local PostgreSQL). */
  private estadisticas: EstadisticasAlmacen | undefined;
  /** Reservas as the service stores them, for the bulk load and the probe. */
  private readonly fabrica = new FabricaDocumentos(JSON.parse(CUERPO_RESERVA));
  private readonly idsCargados = new Set<string>();
  private idsSonda: string[] = [];
  private readonly sondas: SondasPlataforma[] = [];
  /** The last platform's PostgreSQL (named in the report). */
  private ultimoPostgres: PostgresInfo | undefined;
  /**
   * When the benchmark last used the stores itself (its checks, the probe, the bulk load): their
   * counters may be published up to 10 s later, so a window opens only after the settle time.
   */
  private tranquiloDesde = 0;

  /**
   * `marca` names the logs' folder; `replicas`: how many of each service every platform of this
   * run starts; `titulo` heads the results (when two runs are compared).
   */
  constructor(
    private readonly cfg: ConfigBench,
    private readonly marca: string,
    private readonly replicas: Replicas = UNA_REPLICA,
    private readonly titulo?: string,
  ) {}

  /** Every replica of every service, by process name (`aeroalpes`, `aeroalpes-2`, ...): the Node services. */
  private instancias(): { servicio: ServiceName; k: number; nombre: string }[] {
    return SERVICES.flatMap((servicio) => Array.from({ length: this.replicas[servicio] }, (_, i) => ({ servicio, k: i + 1, nombre: nombreReplica(servicio, i + 1) })));
  }

  /** The REST base URL of every aeroalpes replica: the load goes round-robin over them. */
  private basesAeroalpes(): string[] {
    return Array.from({ length: this.replicas.aeroalpes }, (_, i) => this.stack!.endpoints('aeroalpes', i + 1).http);
  }

  /** Ctrl-C: the current phase ends early and everything is stopped. */
  interrumpir(senal: string): void {
    if (this.abortador.signal.aborted) return;
    if (this.arrancando) {
      // startStack cannot be cancelled, but its processes die with this one (pdeathsig).
      log(`\n${senal} while the platform was starting: exiting; its processes die with this one.`);
      process.exit(130);
    }
    log(`\n${senal}: stopping the benchmark and everything it started...`);
    this.abortador.abort();
  }

  private get abortar(): AbortSignal {
    return this.abortador.signal;
  }

  private comprobar(): void {
    if (this.fallo) throw this.fallo;
    if (this.abortar.aborted) throw new Interrumpido();
  }

  /** Runs every phase on its own platform(s), prints the report, and returns the figures (the JSON). */
  async ejecutar() {
    const cfg = this.cfg;
    const inicio = Date.now();
    const carga0 = os.loadavg();
    log(`AeroAlpes benchmark ${cfg.rapido ? '(quick mode) ' : ''}- ${new Date().toISOString()}${this.titulo ? ` - ${this.titulo}` : ''}`);
    log(
      `machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load average ${carga0.map((x) => x.toFixed(2)).join(' ')} before start; Node ${process.version}; ` +
        `Dapr ${DAPR_VERSION}, Pulsar ${PULSAR_VERSION}, FerretDB ${FERRETDB_VERSION} on PostgreSQL ${POSTGRES_MAJOR}`,
    );
    log(
      `phases: warm-up ${cfg.calentamiento.tasa}/s x ${cfg.calentamiento.segundos} s (not counted); fixed ${cfg.fija.tasa}/s x ${cfg.fija.segundos} s; ` +
        `steps ${cfg.escalones.join(', ') || 'none'} /s x ${cfg.segundosEscalon} s (stop at the first not sustained); drain <= ${cfg.drenajeSegundos} s; ` +
        (cfg.consultas.activa ? `then ${cfg.consultas.documentos} reservas stored and GET reserva-query ${cfg.consultas.tasa}/s x ${cfg.consultas.segundos} s` : 'no query phase'),
    );
    this.binarios = await ensureRuntime();
    this.comprobar();
    limpiarCorridasHuerfanas(path.join(cacheDir(), 'run'));
    await this.arrancar();

    const fases = this.fases;
    const omitidas: string[] = [];
    let motivoOmision: string | undefined;
    const plan: { nombre: string; tipo: Fase['tipo']; tasa: number; segundos: number }[] = [];
    if (cfg.calentamiento.segundos > 0) plan.push({ nombre: 'warm-up', tipo: 'calentamiento', tasa: cfg.calentamiento.tasa, segundos: cfg.calentamiento.segundos });
    if (cfg.fija.segundos > 0) plan.push({ nombre: `fixed ${cfg.fija.tasa}/s`, tipo: 'fija', tasa: cfg.fija.tasa, segundos: cfg.fija.segundos });
    for (const tasa of cfg.escalones) plan.push({ nombre: `step ${tasa}/s`, tipo: 'escalon', tasa, segundos: cfg.segundosEscalon });
    for (const p of plan) {
      if (motivoOmision === undefined && fases.length > 0 && !(await this.sinAtraso())) {
        if (cfg.rapido) {
          motivoOmision = `the system had not finished the reservas of '${fases.at(-1)!.nombre}' (quick mode does not wait for a backlog or restart): a further phase would measure the backlog, not the rate`;
          log(`\n== skipping the remaining phases: ${motivoOmision}`);
        } else {
          log(`\n== '${fases.at(-1)!.nombre}' left a backlog the system cannot finish in ${cfg.drenajeSegundos} s: restarting the platform (empty database) for the next phase`);
          await this.cerrarPlataforma();
          await this.arrancar();
          if (cfg.calentamiento.segundos > 0) {
            fases.push(await this.fase(`warm-up #${this.plataforma}`, 'calentamiento', cfg.calentamiento.tasa, cfg.calentamiento.segundos));
            if (!(await this.sinAtraso())) {
              motivoOmision = 'even the warm-up of a fresh platform left a backlog';
              log(`\n== skipping the remaining phases: ${motivoOmision}`);
            }
          }
        }
      }
      if (motivoOmision !== undefined) {
        omitidas.push(p.nombre);
        continue;
      }
      const f = await this.fase(p.nombre, p.tipo, p.tasa, p.segundos);
      fases.push(f);
      if (p.tipo === 'escalon') {
        f.sostenida = juzgarEscalon(f, cfg.cotaP99Ms, cfg.cotaCrecimientoMs);
        log(`   -> ${f.sostenida.ok ? 'sustained' : `NOT sustained: ${f.sostenida.motivos.join('; ')}`}`);
        if (!f.sostenida.ok) motivoOmision = `${f.nombre} was not sustained`;
      }
    }
    let consultas: FaseConsultas | undefined;
    if (cfg.consultas.activa) {
      // The GETs must not share the machine with a backlog of creates: a fresh platform when one is left.
      if (fases.length > 0 && !(await this.sinAtraso())) {
        log(`\n== '${fases.at(-1)!.nombre}' left a backlog: restarting the platform (empty database) for the query phase`);
        await this.cerrarPlataforma();
        await this.arrancar();
      }
      consultas = await this.faseConsultas();
    }
    await this.cerrarPlataforma();

    const fija = fases.find((f) => f.tipo === 'fija');
    const escalones = fases.filter((f) => f.tipo === 'escalon');
    const duplicadasMongo = this.cierres.reduce((a, c) => a + Math.max(0, c.reservasDesconocidas - c.sinRespuesta), 0);
    const objetivosMedidos = objetivos({ fases, consultas, hwmFinal: this.hwm, nodos: this.instancias().map((i) => i.nombre), duplicadasMongo });
    const medidas: Medida[] = [...fases, ...(consultas ? [consultas] : [])];
    const conAlmacen = medidas.filter((f) => f.almacen !== null);
    const sostenidas = escalones.filter((f) => f.sostenida?.ok).map((f) => f.tasaObjetivo);
    const fallida = escalones.find((f) => !f.sostenida?.ok);
    const noTerminadas = this.cierres.reduce((a, c) => a + c.noTerminadas, 0);
    const terminadasDespues = this.cierres.reduce((a, c) => a + c.terminadasDespues, 0);

    log(`\n================ RESULTS${this.titulo ? `: ${this.titulo}` : ''} ================`);
    log(
      `(latencies in ms as p50/p95/p99/max; "POST->read model" is SAMPLED: 1 reserva in ${cfg.muestraCada} polled every ${cfg.sondeoMs} ms, at most ${cfg.sondeosConcurrentes} at once)\n`,
    );
    log(tablaFases(fases));
    const ajeno = Math.max(0, ...fases.map((f) => f.uso.maquinaPorciento - f.uso.propioPorciento));
    if (ajeno > 10)
      log(
        `\nNote: other processes on this machine used up to ${ajeno.toFixed(0)} % of its CPU during a phase (row 'CPU busy'): these figures are lower than an idle machine would give.`,
      );
    for (const c of this.cierres) {
      const duplicadas = c.reservasDesconocidas - c.sinRespuesta;
      log(
        `\nMongoDB, platform #${c.plataforma}: ${c.reservasEnMongo} reservas in '${COLECCION_RESERVAS}' for ${c.aceptados} accepted commands; ${c.reservasDesconocidas} with an id no 202 gave` +
          (c.reservasDesconocidas ? ` (${c.sinRespuesta} requests got no answer${duplicadas > 0 ? `: at least ${duplicadas} DUPLICATES` : ', which may explain them'})` : ''),
      );
    }
    log('\nMemory and CPU per process (MB = 10^6 bytes; CPU in % of one core over each phase, its drain included):');
    log(tablaProcesos(medidas, this.hwm));
    log(
      '\nCPU per completed reserva, ms, per process (its child processes included; the query phase: per GET answered; a unit is a reserva with its notification and both models by the drain deadline):',
    );
    log(tablaCpuPorUnidad(medidas));
    const pg = this.ultimoPostgres;
    const tablaFerret = tablaAlmacen(conAlmacen, 0);
    if (tablaFerret && pg) {
      log(
        `\nMongoDB operations per completed reserva, counted by the server: PostgreSQL's statistics of FerretDB's database '${pg.ferretDatabase}', schema '${cfg.baseDatos}' ` +
          `(pg_stat_user_tables per collection, pg_stat_database for commits; read before each phase and ${cfg.asentarEstadisticasSegundos} s after its drain; a find, update or delete is at least one scan):`,
      );
      log(tablaFerret);
      const conMuestra = fases.filter((f) => f.almacen !== null);
      if (conMuestra.length) log(`  included above, the read-side sampling's polls per reserva (one findOne by _id each): ${sondeosPorUnidad(conMuestra)}`);
      const tablaEstado = tablaAlmacen(conAlmacen, 1);
      if (tablaEstado) {
        log(`\nDapr state stores (database '${pg.stateDatabase}', one table per app), per completed reserva:`);
        log(tablaEstado);
      }
    } else log('\nStore operations per reserva: not measured (no PostgreSQL statistics could be read).');
    if (consultas) {
      log(`\nQuery phase (GET /vuelos/reserva-query/{id}, random stored ids, open-loop; latencies in ms, after a ${cfg.consultas.calentamientoSegundos} s warm-up not counted):`);
      log(tablaConsultas(consultas));
    }
    for (const s of this.sondas) {
      if (!s.inicio && !s.fin) continue;
      const cuando = (x: Sonda | undefined) => (x ? `${x.reservas} reservas` : 'not run');
      log(`\nStore latency probe, platform #${s.plataforma} (through the MongoDB driver, sequential; start: before any load; end: when the platform was stopped):`);
      log(tablaSonda(comparar(s.inicio, s.fin), cuando(s.inicio), cuando(s.fin)));
    }
    const detalle = [fija, escalones.filter((f) => f.sostenida?.ok).at(-1), fallida].filter((f, i, a): f is Fase => f !== undefined && a.indexOf(f) === i);
    for (const f of detalle) {
      log(`\nWhere the time goes - ${f.nombre}:`);
      log(dondeVaElTiempo(f, cfg.sondeoMs));
    }
    if (noTerminadas)
      log(
        `\nReservas unfinished at their phase's drain deadline (counted as lost above): ${noTerminadas}; finished by the time their platform was stopped: ${terminadasDespues}; never finished: ${noTerminadas - terminadasDespues}`,
      );
    if (omitidas.length) log(`\nPhases not run: ${omitidas.join(', ')} (${motivoOmision})`);
    const problemas = agrupar(this.problemas);
    if (problemas.length) {
      log('\nWarnings and errors the services logged while the load ran (count, service, level, message [error]):');
      for (const p of problemas.slice(0, 12)) log(`  ${String(p.veces).padStart(6)}  ${p.servicio}  ${p.nivel}  ${p.mensaje}${p.error ? `  [${p.error}]` : ''}`);
    } else log('\nThe services logged no warnings or errors while the load ran.');
    log(
      `\nHighest rate sustained end to end with nothing lost: ${sostenidas.length ? `${Math.max(...sostenidas)}/s` : 'none of the steps'}` +
        (fallida ? ` (${fallida.nombre} failed: ${fallida.sostenida?.motivos.join('; ')})` : ''),
    );
    log('\nTargets (issue 4, on this machine):');
    log(tablaObjetivos(objetivosMedidos));

    return {
      fecha: new Date(inicio).toISOString(),
      duracionSegundos: Math.round((Date.now() - inicio) / 1000),
      maquina: { nucleos: os.cpus().length, memoriaGiB: Math.round(os.totalmem() / 2 ** 30), cargaAntes: carga0, node: process.version },
      versiones: { dapr: DAPR_VERSION, pulsar: PULSAR_VERSION, ferretdb: FERRETDB_VERSION, postgresql: POSTGRES_MAJOR },
      config: cfg,
      replicas: this.replicas,
      metas: METAS,
      fases,
      consultas: consultas ?? null,
      sondasAlmacen: this.sondas.map((x) => ({ ...x, comparacion: comparar(x.inicio, x.fin) })),
      maximaSostenida: sostenidas.length ? Math.max(...sostenidas) : null,
      picoRssMb: Object.fromEntries(this.hwm),
      plataformas: this.cierres,
      objetivos: objetivosMedidos,
      fasesOmitidas: omitidas.length ? { fases: omitidas, motivo: motivoOmision } : null,
      problemasEnRegistros: problemas,
    };
  }

  /** Starts a platform on free ports with an empty database (the first one, or a fresh one after a backlog). */
  private async arrancar(): Promise<void> {
    this.plataforma++;
    const runDir = path.join(cacheDir(), 'run', `bench-${process.pid}${this.plataforma > 1 ? `-${this.plataforma}` : ''}`);
    removeRunData(runDir);
    const ports = await freePortPlan(this.replicas);
    const t0 = Date.now();
    this.arrancando = true;
    const stack = await startStack(this.binarios!, {
      runDir,
      ports,
      mongoDb: this.cfg.baseDatos,
      replicas: this.replicas,
      serviceEnv: { LOG_LEVEL: this.cfg.nivelLog },
      log: (l) => log(`[platform] ${l}`),
    });
    this.arrancando = false;
    this.stack = stack;
    this.deteniendo = false;
    paso(`[platform #${this.plataforma}] up in ${((Date.now() - t0) / 1000).toFixed(1)} s (${runDir})`);
    // A process that dies takes the benchmark down with a clear error (its figures would be meaningless).
    for (const p of stack.processes) {
      void p.wait().then((code) => {
        if (this.deteniendo || this.stack !== stack) return;
        this.fallo = new ProcesoCaido(`${p.name} exited (code ${code}) during the benchmark; last log lines (${p.logFile}):\n${p.tail()}`);
        this.abortador.abort();
      });
    }
    this.comprobar();
    this.mongo = await MongoClient.connect(stack.mongoUri, { directConnection: true, serverSelectionTimeoutMS: 10_000, socketTimeoutMS: ESPERA_ALMACEN_MS });
    this.db = this.mongo.db(this.cfg.baseDatos);
    this.estadisticas = stack.postgres ? new EstadisticasAlmacen(stack.postgres, this.cfg.baseDatos) : undefined;
    if (stack.postgres) this.ultimoPostgres = stack.postgres;
    this.entregados0 = (await this.entregados().catch(() => undefined)) ?? 0;
    this.aceptadosPlataforma = 0;
    this.idsPlataforma.clear();
    this.idsCargados.clear();
    this.sinRespuestaPlataforma = 0;
    this.faltantes.clear();
    // The store's latency before any load, on the probe's own documents.
    const sondas: SondasPlataforma = { plataforma: this.plataforma };
    this.sondas.push(sondas);
    this.idsSonda = await prepararSonda(this.db, this.fabrica, this.cfg.operacionesSonda);
    sondas.inicio = await this.sondear('start', [], 0);
    this.tranquiloDesde = Date.now();
  }

  /** Times the store's operations by _id (a few seconds at most). */
  private async sondear(momento: string, idsReservas: string[], reservas: number): Promise<Sonda> {
    const s = await sondear({
      db: this.db!,
      momento,
      idsSonda: this.idsSonda,
      idsReservas,
      reservas,
      colecciones: { reservas: COLECCION_RESERVAS, vista: COLECCION_VISTA },
      n: this.cfg.operacionesSonda,
      presupuestoMs: PRESUPUESTO_SONDA_MS,
      fabrica: this.fabrica,
    });
    paso(
      `   store latency probe (${momento}, ${reservas} reservas, ${s.segundos} s): ${s.operaciones.map((m) => `${m.operacion.split(' ').slice(0, 2).join(' ')} ${m.latencia.p50?.toFixed(1)}/${m.latencia.p99?.toFixed(1)} ms`).join(', ')}`,
    );
    return s;
  }

  /**
   * PostgreSQL's counters once those of the activity that ended at `desde` are published:
   * `--stats-settle-seconds` after it (a connection that goes idle publishes its last second of
   * counters up to 10 s later). Before a window: the benchmark's own last use of the stores;
   * after it: the end of the drain.
   */
  private async leerEstadisticas(desde: number): Promise<LecturaAlmacen | undefined> {
    if (!this.estadisticas) return undefined;
    const espera = desde + this.cfg.asentarEstadisticasSegundos * 1000 - Date.now();
    if (espera > 0) await dormir(espera);
    this.comprobar();
    return this.estadisticas.leer().catch((err: unknown) => {
      log(`   (PostgreSQL statistics could not be read: ${String(err)})`);
      return undefined;
    });
  }

  private async consumo(antes: LecturaAlmacen | undefined, despues: LecturaAlmacen | undefined, unidades: number): Promise<ConsumoAlmacen | null> {
    if (!this.estadisticas || !antes || !despues) return null;
    return this.estadisticas.consumo(antes, despues, unidades);
  }

  /**
   * Before stopping a platform: checks again the reservas that were unfinished at their drain
   * deadline (did they finish later?), counts the write model against the accepted commands, reads
   * peak RSS and the services' warnings. Then stops every process, keeps the logs, deletes the data.
   */
  private async cerrarPlataforma(): Promise<void> {
    const stack = this.stack;
    if (!stack) return;
    const runDir = stack.options.runDir;
    const hasta = Date.now();
    if (this.db && !this.fallo) {
      try {
        const escritos = await this.idsEn(COLECCION_RESERVAS);
        const sondas = this.sondas.find((x) => x.plataforma === this.plataforma);
        if (sondas) sondas.fin = await this.sondear('end', escritos, escritos.length);
        const faltantes = [...this.faltantes.values()].flat();
        if (faltantes.length) paso(`checking again the ${faltantes.length} reservas unfinished at their drain deadline...`);
        const terminadasDespues = faltantes.length ? await this.completos(faltantes) : new Set<string>();
        this.cierres.push({
          plataforma: this.plataforma,
          aceptados: this.aceptadosPlataforma,
          reservasEnMongo: escritos.length,
          reservasDesconocidas: escritos.filter((id) => !this.idsPlataforma.has(id) && !this.idsCargados.has(id)).length,
          sinRespuesta: this.sinRespuestaPlataforma,
          noTerminadas: faltantes.length,
          terminadasDespues: terminadasDespues.size,
          cargadasDirecto: this.idsCargados.size,
        });
      } catch (err) {
        log(`   (final checks of platform #${this.plataforma} failed: ${String(err)})`);
      }
    }
    for (const p of stack.processes) {
      const m = p.pid !== undefined ? memoria(p.pid) : undefined;
      if (m && Number.isFinite(m.hwmKb)) this.hwm.set(p.name, Math.max(this.hwm.get(p.name) ?? 0, mb(m.hwmKb)));
      else if (!this.hwm.has(p.name)) this.hwm.set(p.name, null);
    }
    const yo = memoria(process.pid);
    if (yo) this.hwm.set('bench (load generator)', mb(yo.hwmKb));
    this.problemas.push(
      ...problemasEnRegistros(
        path.join(runDir, 'logs'),
        this.instancias().map((i) => i.nombre),
        hasta,
      ),
    );

    this.deteniendo = true;
    await this.mongo?.close().catch(() => undefined);
    this.mongo = undefined;
    this.db = undefined;
    paso(`[platform #${this.plataforma}] stopping everything the benchmark started...`);
    await stack.stop();
    this.stack = undefined;
    const logs = path.join(runDir, 'logs');
    if (this.cfg.guardarLogs && fs.existsSync(logs)) {
      const destino = path.join(REPO_ROOT, 'test-results', `bench-${this.marca}-logs${this.plataforma > 1 ? `-${this.plataforma}` : ''}`);
      fs.cpSync(logs, destino, { recursive: true });
      paso(`[platform #${this.plataforma}] stopped; logs in ${path.relative(process.cwd(), destino) || destino}`);
    } else paso(`[platform #${this.plataforma}] stopped`);
    removeRunData(runDir);
  }

  /**
   * What a run that failed part-way measured, once stopped (`cerrar`): its replicas, the phases it
   * finished, peak RSS, and where and why it stopped.
   */
  parcial(error: unknown) {
    return {
      replicas: this.replicas,
      fases: this.fases,
      picoRssMb: Object.fromEntries(this.hwm),
      fallo: { fase: this.faseEnCurso ?? 'platform start', mensaje: mensajeDeFallo(error) },
    };
  }

  /** On error or Ctrl-C: stop whatever is running, without the final checks. */
  async cerrar(): Promise<void> {
    if (!this.stack) return;
    this.fallo ??= new Error('interrupted');
    await this.cerrarPlataforma();
  }

  /** The id of every document in `coleccion`. */
  private async idsEn(coleccion: string): Promise<string[]> {
    const docs = await this.db!.collection<{ _id: string }>(coleccion)
      .find({}, { projection: { _id: 1 } })
      .toArray();
    return docs.map((d) => d._id);
  }

  private procesos(): { nombre: string; pid: number }[] {
    const ps = (this.stack?.processes ?? []).filter((p) => p.pid !== undefined).map((p) => ({ nombre: p.name, pid: p.pid! }));
    return [...ps, { nombre: 'bench (load generator)', pid: process.pid }];
  }

  /** Every daprd's scrape, by its replica's name (`aeroalpes`, `aeroalpes-2`, ...). */
  private async rasparTodos(): Promise<Map<string, Muestra>> {
    const r = new Map<string, Muestra>();
    await Promise.all(
      this.instancias().map(async ({ servicio, k, nombre }) => {
        const url = `http://127.0.0.1:${this.stack!.options.ports.services[servicio][k - 1]!.metrics}/metrics`;
        r.set(nombre, await raspar(url).catch(() => new Map()));
      }),
    );
    return r;
  }

  /** Messages of eventos-reserva notificaciones has acknowledged (its sidecar acks once the app answered). */
  private entregados(): Promise<number | undefined> {
    return confirmadosPulsar(this.stack!.pulsarAdmin, TOPIC_EVENTOS, SUSCRIPCION_NOTIFICACIONES);
  }

  private async fase(nombre: string, tipo: Fase['tipo'], tasa: number, segundos: number): Promise<Fase> {
    this.comprobar();
    const cfg = this.cfg;
    const stack = this.stack!;
    const db = this.db!;
    log('');
    this.faseEnCurso = nombre;
    paso(`== ${nombre}: ${tasa}/s for ${segundos} s${tipo === 'calentamiento' ? ' (not counted)' : ''}, platform #${this.plataforma}`);
    const medirAlmacen = tipo !== 'calentamiento';
    if (medirAlmacen && this.estadisticas && Date.now() - this.tranquiloDesde < this.cfg.asentarEstadisticasSegundos * 1000) {
      paso(`   waiting for PostgreSQL to publish the counters of the benchmark's own checks before the window opens...`);
    }
    const lecturaAntes = medirAlmacen ? await this.leerEstadisticas(this.tranquiloDesde) : undefined;
    const antes = await this.rasparTodos();
    const entregadosAntes = (await this.entregados().catch(() => undefined)) ?? 0;
    const muestreo = new MuestreoProcesos(() => this.procesos(), os.cpus().length);
    muestreo.iniciar();
    const carga = await cargar({
      bases: this.basesAeroalpes(),
      cuerpo: CUERPO_RESERVA,
      tasa,
      segundos,
      muestraCada: cfg.muestraCada,
      sondeoMs: cfg.sondeoMs,
      sondeoMaximoMs: cfg.drenajeSegundos * 1000,
      sondeosConcurrentes: cfg.sondeosConcurrentes,
      timeoutMs: cfg.timeoutPeticionMs,
      abortar: this.abortar,
    });
    const ids = carga.envios.filter((e) => e.id !== undefined).map((e) => e.id!);
    this.aceptadosPlataforma += ids.length;
    for (const id of ids) this.idsPlataforma.add(id);
    this.sinRespuestaPlataforma += carga.envios.filter((e) => e.estado === 'timeout' || e.estado.startsWith('error:')).length;
    paso(`   sent ${carga.envios.length} in ${((carga.finEnvio - carga.inicio) / 1000).toFixed(1)} s, ${ids.length} accepted; waiting for the drain...`);
    const limite = carga.finEnvio + cfg.drenajeSegundos * 1000;
    const drenaje = await esperarDrenaje(() => this.entregados(), entregadosAntes + ids.length, limite, this.abortar);
    const uso = muestreo.terminar();
    await carga.sondeosTerminados;
    this.comprobar();
    const finSondeos = Date.now();
    if (medirAlmacen && this.estadisticas) paso(`   drain: ${drenaje}; reading PostgreSQL's counters ${this.cfg.asentarEstadisticasSegundos} s after it...`);
    // The sampled polls are part of the phase: the window closes after them (they end soon after the drain).
    const lecturaDespues = medirAlmacen ? await this.leerEstadisticas(finSondeos) : undefined;
    paso(`   ${medirAlmacen && this.estadisticas ? '' : `drain: ${drenaje}; `}checking every accepted reserva...`);
    const despues = await this.rasparTodos();
    const todosLosSaltos: Salto[] = this.instancias()
      .flatMap(({ nombre }) => saltos(nombre, antes.get(nombre) ?? new Map(), despues.get(nombre) ?? new Map()))
      .sort((a, b) => b.operaciones * b.mediaMs - a.operaciones * a.mediaMs);
    const notificaciones = await recogerNotificaciones(stack.endpoints('notificaciones').http, ids, cfg.concurrenciaRecoleccion, limite, this.abortar);
    const escritos = await presentesHasta(db, COLECCION_RESERVAS, ids, limite, this.abortar);
    const vistas = await presentesHasta(db, COLECCION_VISTA, ids, limite, this.abortar);
    // How long FerretDB takes to find one reserva by _id now (it scans the collection): grows with the data.
    const t = Date.now();
    for (const id of ids.slice(0, 5)) await db.collection<{ _id: string }>(COLECCION_RESERVAS).findOne({ _id: id }, { projection: { _id: 1 } });
    const msBusqueda = ids.length ? Math.round(((Date.now() - t) / Math.min(5, ids.length)) * 10) / 10 : null;
    const mongo = {
      reservas: await db.collection(COLECCION_RESERVAS).countDocuments({}),
      vista: await db.collection(COLECCION_VISTA).countDocuments({}),
      outboxPendiente: await outboxPendiente(db),
      msBusquedaPorId: msBusqueda,
    };
    this.comprobar();
    const hechas = new Set(terminadas(ids, notificaciones, escritos, vistas));
    this.faltantes.set(
      nombre,
      ids.filter((id) => !hechas.has(id)),
    );
    const almacen = await this.consumo(lecturaAntes, lecturaDespues, hechas.size);
    this.tranquiloDesde = Date.now();
    const f = analizar({
      nombre,
      tipo,
      tasa,
      segundos,
      plataforma: this.plataforma,
      muestraCada: cfg.muestraCada,
      carga,
      finSondeos,
      notificaciones,
      escritos,
      vistas,
      drenaje,
      mongo,
      uso,
      saltos: todosLosSaltos,
      almacen,
    });
    const l = f.latencias;
    paso(
      `   accepted ${f.aceptadosPorSegundo}/s; POST->202 p99 ${l.post202.p99?.toFixed(1)} ms; POST->notification p50 ${l.postNotificacion.p50} p99 ${l.postNotificacion.p99} ms; ` +
        `lost ${f.perdidas.sinNotificacion}/${f.perdidas.sinReserva}/${f.perdidas.sinVista}; duplicated ${f.duplicadas.notificaciones}; reservas in MongoDB ${mongo.reservas}`,
    );
    return f;
  }

  /**
   * Bulk-loads reservas until `--query-docs` are stored, lets PostgreSQL settle, then drives GET
   * /vuelos/reserva-query/{id} open-loop on random stored ids (after a short warm-up, not counted).
   */
  private async faseConsultas(): Promise<FaseConsultas> {
    this.comprobar();
    const c = this.cfg.consultas;
    const db = this.db!;
    const nombre = `query ${c.tasa}/s`;
    log('');
    paso(
      `== ${nombre}: storing ${c.documentos} reservas (insertMany of ${c.lote} into '${COLECCION_RESERVAS}' and '${COLECCION_VISTA}'), then GET reserva-query for ${c.segundos} s, platform #${this.plataforma}`,
    );
    const colecciones = { reservas: COLECCION_RESERVAS, vista: COLECCION_VISTA };
    const carga = await cargarReservas(db, colecciones, this.fabrica, c.documentos, c.lote, this.abortar, (l) => paso(`   ${l}`));
    for (const id of carga.cargadasIds) this.idsCargados.add(id);
    this.comprobar();
    // Counted by their ids (a projection): FerretDB's countDocuments reads every whole document.
    const almacenadas = { reservas: (await this.idsEn(COLECCION_RESERVAS)).length, vista: (await this.idsEn(COLECCION_VISTA)).length };
    paso(`   loaded ${carga.cargadas} in ${carga.segundos} s (${carga.porSegundo}/s); stored: ${almacenadas.reservas} write model, ${almacenadas.vista} read model`);
    const opciones = { bases: this.basesAeroalpes(), ids: carga.ids, tasa: c.tasa, timeoutMs: this.cfg.timeoutPeticionMs, abortar: this.abortar };
    paso(`   warm-up: ${c.tasa}/s for ${c.calentamientoSegundos} s (not counted), then the counters of the load and the warm-up settle`);
    await consultar({ ...opciones, segundos: c.calentamientoSegundos });
    this.comprobar();
    const lecturaAntes = await this.leerEstadisticas(Date.now());
    const muestreo = new MuestreoProcesos(() => this.procesos(), os.cpus().length);
    muestreo.iniciar();
    const resultado = await consultar({ ...opciones, segundos: c.segundos });
    const uso = muestreo.terminar();
    this.comprobar();
    const figuras = analizarConsultas(resultado, c.tasa, c.segundos);
    const lecturaDespues = await this.leerEstadisticas(resultado.finRespuestas);
    this.tranquiloDesde = Date.now();
    const { ids: _ids, cargadasIds: _cargadas, ...resumenCarga } = carga;
    const l = figuras.latencia;
    paso(
      `   sent ${figuras.tasaLograda}/s; 200: ${figuras.respondidas}, errors ${figuras.errores}; GET->200 p50 ${l.p50?.toFixed(1)} p99 ${l.p99?.toFixed(1)} max ${l.max?.toFixed(1)} ms`,
    );
    return {
      nombre,
      tipo: 'consultas',
      plataforma: this.plataforma,
      carga: resumenCarga,
      almacenadas,
      ...figuras,
      uso,
      completadas: figuras.respondidas,
      cpuMsPorUnidad: cpuPorUnidad(uso, figuras.respondidas),
      almacen: await this.consumo(lecturaAntes, lecturaDespues, figuras.respondidas),
    };
  }

  /**
   * Those of `ids` that are finished: in the write and read models (MongoDB, a few batched queries)
   * and with their ReservaCreada notification (asked only for those in both models).
   */
  private async completos(ids: string[]): Promise<Set<string>> {
    const escritos = await presentes(this.db!, COLECCION_RESERVAS, ids);
    const vistas = await presentes(this.db!, COLECCION_VISTA, ids);
    const candidatos = ids.filter((id) => escritos.has(id) && vistas.has(id));
    const notificaciones = await recogerNotificaciones(this.stack!.endpoints('notificaciones').http, candidatos, this.cfg.concurrenciaRecoleccion, 0, this.abortar);
    this.tranquiloDesde = Date.now();
    return new Set(candidatos.filter((id) => (notificaciones.get(id) ?? []).some((n) => n.tipo === 'ReservaCreada')));
  }

  /**
   * True when the last phase finished every reserva it accepted. Otherwise (not in quick mode)
   * waits up to one more drain period for notificaciones' sidecar to catch up, giving up early
   * when its pace cannot get there, then checks those reservas again.
   */
  private async sinAtraso(): Promise<boolean> {
    const pendientes = [...this.faltantes.values()].at(-1) ?? [];
    if (pendientes.length === 0) return true;
    if (this.cfg.rapido) return false;
    paso(`   ${pendientes.length} reservas of the last phase are unfinished: waiting up to ${this.cfg.drenajeSegundos} s more before the next phase`);
    const fin = await esperarDrenaje(() => this.entregados(), this.entregados0 + this.aceptadosPlataforma, Date.now() + this.cfg.drenajeSegundos * 1000, this.abortar, true);
    this.comprobar();
    if (fin !== 'complete' && fin !== 'no metric') {
      paso(`   backlog wait: ${fin}`);
      return false;
    }
    const hechas = await this.completos(pendientes);
    paso(`   ${hechas.size} of the ${pendientes.length} finished since`);
    if (hechas.size < pendientes.length) return false;
    this.faltantes.set([...this.faltantes.keys()].at(-1)!, []);
    return true;
  }
}

/** Why a run failed, in a sentence. */
function mensajeDeFallo(err: unknown): string {
  if (err instanceof ProvisioningError || err instanceof StartupError || err instanceof ProcesoCaido) return err.message;
  if (err instanceof MongoNetworkTimeoutError)
    return `the store (MongoDB protocol, FerretDB locally) did not answer the benchmark within ${ESPERA_ALMACEN_MS / 1000} s (${err.message}); its log is in the copied logs`;
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/** Merges the warnings of several platforms (same service, level, message and error). */
function agrupar(problemas: Problema[]): Problema[] {
  const m = new Map<string, Problema>();
  for (const p of problemas) {
    const k = [p.servicio, p.nivel, p.mensaje, p.error].join('\u0000');
    const q = m.get(k);
    if (q) q.veces += p.veces;
    else m.set(k, { ...p });
  }
  return [...m.values()].sort((a, b) => b.veces - a.veces);
}

/** Folders of earlier benchmark runs whose process is gone (killed before it could clean up). */
function limpiarCorridasHuerfanas(runs: string): void {
  if (!fs.existsSync(runs)) return;
  for (const d of fs.readdirSync(runs)) {
    const pid = Number(/^bench-(\d+)(-\d+)?$/.exec(d)?.[1]);
    if (!pid || pid === process.pid || fs.existsSync(`/proc/${pid}`)) continue;
    removeRunData(path.join(runs, d));
  }
  // As root the clusters live outside the run folders: those of benchmark processes that are gone.
  if (!fs.existsSync(ROOT_PG_DIR)) return;
  for (const d of fs.readdirSync(ROOT_PG_DIR)) {
    const pid = Number(/^bench-(\d+)(-\d+)?-[0-9a-f]+$/.exec(d)?.[1]);
    if (!pid || pid === process.pid || fs.existsSync(`/proc/${pid}`)) continue;
    fs.rmSync(path.join(ROOT_PG_DIR, d), { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  let cfg: ConfigBench;
  try {
    cfg = leerConfig(process.argv.slice(2), process.env);
  } catch (err) {
    if (!(err instanceof ErrorConfig)) throw err;
    if (err.message) console.error(`${err.message}\n`);
    console.error(AYUDA);
    return err.message ? 2 : 0;
  }
  const marca = new Date().toISOString().replace(/[:.]/g, '-');
  // One run, or (--replicas N) the same run with one replica of aeroalpes and then with N.
  const cuentas = cfg.replicas > 1 ? [1, cfg.replicas] : [1];
  let bench: Benchmark | undefined;
  let fallida = false;
  let senales = 0;
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(s, () => {
      // A second signal leaves at once: the platform's processes die with this one (pdeathsig).
      if (++senales > 1) process.exit(130);
      bench?.interrumpir(s);
    });
  }
  try {
    const resultados: (Awaited<ReturnType<Benchmark['ejecutar']>> | ReturnType<Benchmark['parcial']>)[] = [];
    const comparada = cuentas.length > 1;
    for (const [i, n] of cuentas.entries()) {
      if (senales > 0) return 130;
      const replicas: Replicas = { ...UNA_REPLICA, aeroalpes: n };
      if (i > 0) log('');
      bench = new Benchmark(
        cfg,
        comparada ? `${marca}-aeroalpes-x${n}` : marca,
        replicas,
        comparada ? `run ${i + 1} of ${cuentas.length}: ${describirReplicas(replicas)}` : undefined,
      );
      if (!comparada) {
        resultados.push(await bench.ejecutar());
        continue;
      }
      // Compared runs: one that fails part-way still counts with the phases it finished, and why it stopped.
      try {
        resultados.push(await bench.ejecutar());
      } catch (err) {
        if (err instanceof Interrumpido) throw err;
        console.error(`\nrun ${i + 1} (${describirReplicas(replicas)}) failed: ${mensajeDeFallo(err)}`);
        await bench.cerrar();
        resultados.push(bench.parcial(err));
        fallida = true;
      }
    }
    let contenido: object = resultados[0]!;
    if (comparada) {
      const corrida = (r: (typeof resultados)[number]) => ({
        replicas: r.replicas.aeroalpes,
        fases: r.fases,
        picoRssMb: r.picoRssMb,
        ...('fallo' in r ? { fallo: r.fallo } : {}),
      });
      const comparacion = compararReplicas([corrida(resultados[0]!), corrida(resultados[1]!)], cfg.fija.tasa);
      log(`\n================ 1 vs ${cfg.replicas} REPLICAS OF AEROALPES ================`);
      log(informeReplicas(comparacion));
      contenido = {
        fecha: new Date(T0).toISOString(),
        duracionSegundos: Math.round((Date.now() - T0) / 1000),
        replicas: cfg.replicas,
        comparacion,
        corridas: resultados,
      };
    }
    const archivo = path.join(REPO_ROOT, 'test-results', `bench-${marca}.json`);
    fs.mkdirSync(path.dirname(archivo), { recursive: true });
    fs.writeFileSync(archivo, JSON.stringify(contenido, null, 2));
    paso(`JSON: ${path.relative(process.cwd(), archivo) || archivo}`);
    return fallida ? 1 : 0;
  } catch (err) {
    if (err instanceof Interrumpido) return 130;
    console.error(`\n${err instanceof ProvisioningError || err instanceof StartupError ? '' : 'benchmark failed: '}${mensajeDeFallo(err)}`);
    return 1;
  } finally {
    await bench?.cerrar().catch((err: unknown) => console.error('stopping the platform failed:', err));
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
