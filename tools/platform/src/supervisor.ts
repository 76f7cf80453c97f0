/**
 * The launcher heals like Kubernetes would: a process of the platform that dies without being asked
 * to (kill -9, a crash, an exit) is started again with the same command line after a backoff, and is
 * watched until it is ready again. Each restart is logged. A process that keeps dying quickly (it
 * never stays ready for `estableMs`) is given up after `maxFallosSeguidos` restarts in a row: then
 * `alRendirse` decides (npm start stops everything; the tests let their assertions fail).
 */
import type { ManagedProcess } from './processes';

export interface OpcionesSupervisor {
  log: (linea: string) => void;
  /** Called once when a process is given up; nothing is restarted after it. */
  alRendirse: (nombre: string, motivo: string) => void;
  /** First wait before a restart; doubles with each quick failure in a row (1 s). */
  esperaInicialMs?: number;
  /** The longest wait between restarts (30 s). */
  esperaMaximaMs?: number;
  /** Quick failures in a row after which the process is given up (5). */
  maxFallosSeguidos?: number;
  /** Ready for this long, a process counts as healthy again: its failure count starts over (60 s). */
  estableMs?: number;
  reloj?: () => number;
}

/** What the supervisor needs of the platform it watches (the Stack). */
export interface Supervisado {
  /** The current instance of a process, by name. */
  process(nombre: string): ManagedProcess | undefined;
  /** Whether an operator stopped it on purpose (it stays down until started again). */
  retenido(nombre: string): boolean;
  /** Starts the named process again (same command line) and waits until it is ready. */
  relanzar(nombre: string): Promise<ManagedProcess>;
}

interface Historial {
  fallosSeguidos: number;
  reinicios: number;
  /** When the current instance became ready (undefined while it is not). */
  listoDesde?: number;
}

/** A restart of one process, as `estado()` reports it. */
export interface EstadoSupervision {
  nombre: string;
  reinicios: number;
  fallosSeguidos: number;
}

export class Supervisor {
  readonly #historial = new Map<string, Historial>();
  readonly #esperas = new Set<NodeJS.Timeout>();
  readonly #vigilados = new WeakSet<ManagedProcess>();
  readonly #esperaInicialMs: number;
  readonly #esperaMaximaMs: number;
  readonly #maxFallos: number;
  readonly #estableMs: number;
  readonly #reloj: () => number;
  #detenido = false;
  #rendido = false;

  constructor(
    private readonly plataforma: Supervisado,
    private readonly opciones: OpcionesSupervisor,
  ) {
    this.#esperaInicialMs = opciones.esperaInicialMs ?? 1000;
    this.#esperaMaximaMs = opciones.esperaMaximaMs ?? 30_000;
    this.#maxFallos = opciones.maxFallosSeguidos ?? 5;
    this.#estableMs = opciones.estableMs ?? 60_000;
    this.#reloj = opciones.reloj ?? Date.now;
  }

  /** Watches this instance (already ready): when it exits on its own, it is restarted. */
  vigilar(proc: ManagedProcess): void {
    if (this.#vigilados.has(proc)) return;
    this.#vigilados.add(proc);
    this.#historialDe(proc.name).listoDesde = this.#reloj();
    void proc.wait().then((codigo) => this.#salio(proc, codigo));
  }

  /** Restarts so far, per process that was restarted at least once. */
  estado(): EstadoSupervision[] {
    return [...this.#historial].filter(([, h]) => h.reinicios > 0).map(([nombre, h]) => ({ nombre, reinicios: h.reinicios, fallosSeguidos: h.fallosSeguidos }));
  }

  /** Nothing is restarted from now on (the platform is stopping). */
  detener(): void {
    this.#detenido = true;
    for (const t of this.#esperas) clearTimeout(t);
    this.#esperas.clear();
  }

  #historialDe(nombre: string): Historial {
    let h = this.#historial.get(nombre);
    if (!h) this.#historial.set(nombre, (h = { fallosSeguidos: 0, reinicios: 0 }));
    return h;
  }

  #salio(proc: ManagedProcess, codigo: number | null): void {
    // Stopping, stopped on purpose, or an instance that was already replaced: not a crash to heal.
    if (this.plataforma.process(proc.name) !== proc) return;
    this.#fallo(proc, codigo);
  }

  /** Counts one failure of `proc` (its current instance) and schedules its restart, or gives up. */
  #fallo(proc: ManagedProcess, codigo: number | null): void {
    const nombre = proc.name;
    if (this.#detenido || this.#rendido || this.plataforma.retenido(nombre)) return;
    const h = this.#historialDe(nombre);
    if (h.listoDesde !== undefined && this.#reloj() - h.listoDesde >= this.#estableMs) h.fallosSeguidos = 0;
    h.listoDesde = undefined;
    h.fallosSeguidos++;
    if (h.fallosSeguidos > this.#maxFallos) {
      this.#rendido = true;
      this.opciones.alRendirse(
        nombre,
        `${nombre} exited (code ${codigo}) ${h.fallosSeguidos} times in a row without staying up ${this.#estableMs / 1000} s; last log lines (${proc.logFile}):\n${proc.tail()}`,
      );
      return;
    }
    const esperaMs = Math.min(this.#esperaInicialMs * 2 ** (h.fallosSeguidos - 1), this.#esperaMaximaMs);
    this.opciones.log(`${nombre} exited (code ${codigo}, pid ${proc.pid}); restarting it in ${esperaMs / 1000} s (failure ${h.fallosSeguidos} of ${this.#maxFallos} in a row)`);
    const espera = setTimeout(() => {
      this.#esperas.delete(espera);
      void this.#relanzar(nombre, h);
    }, esperaMs);
    this.#esperas.add(espera);
  }

  async #relanzar(nombre: string, h: Historial): Promise<void> {
    if (this.#detenido || this.#rendido || this.plataforma.retenido(nombre)) return;
    const inicio = this.#reloj();
    h.reinicios++;
    try {
      const proc = await this.plataforma.relanzar(nombre);
      this.opciones.log(`${nombre} is back (pid ${proc.pid}, ready in ${((this.#reloj() - inicio) / 1000).toFixed(1)} s; restart ${h.reinicios})`);
      this.vigilar(proc);
    } catch (error) {
      if (this.#detenido) return; // the platform is stopping: that is why it did not come back
      // It died again before it was ready, was not ready in time, or could not be started: one
      // more quick failure. A new instance still running (not ready in time) is ended first.
      this.opciones.log(`${nombre} did not come back: ${String(error).split('\n')[0]}`);
      const actual = this.plataforma.process(nombre);
      if (!actual) return;
      this.#vigilados.add(actual);
      await actual.kill();
      this.#fallo(actual, await actual.wait());
    }
  }
}
