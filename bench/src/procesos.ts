/**
 * Memory and CPU of the platform's processes, read from /proc (Linux): VmRSS sampled during a
 * phase, VmHWM (the kernel's peak RSS since the process started) at the end, and CPU time
 * (utime + stime) so a phase shows which process the two cores were busy with. CPU is counted for
 * a process's whole tree: PostgreSQL's postmaster forks a backend per connection plus its
 * background workers, and all of it is PostgreSQL's work.
 */
import fs from 'node:fs';

export interface Proceso {
  nombre: string;
  pid: number;
}

export interface Memoria {
  rssKb: number;
  hwmKb: number;
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on every Linux this runs on). */
const HZ = 100;

export function memoria(pid: number): Memoria | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const campo = (n: string) => Number(new RegExp(`^${n}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssKb: campo('VmRSS'), hwmKb: campo('VmHWM') };
  } catch {
    return undefined;
  }
}

export interface Stat {
  ppid: number;
  /** utime + stime: this process's own CPU (s). */
  propios: number;
  /** cutime + cstime: CPU of the children it has waited for (s), theirs included. */
  hijosTerminados: number;
}

/** Fields of /proc/<pid>/stat. The command name (field 2) may hold spaces and parentheses: fields start after the last ')'. */
export function leerStat(texto: string): Stat {
  const campos = texto.slice(texto.lastIndexOf(')') + 2).split(' ');
  const n = (campo: number) => Number(campos[campo - 3]);
  return { ppid: n(4), propios: (n(14) + n(15)) / HZ, hijosTerminados: (n(16) + n(17)) / HZ };
}

function stat(pid: number): Stat | undefined {
  try {
    return leerStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Every live process (one read of /proc/<pid>/stat each). */
function todos(): Map<number, Stat> {
  const r = new Map<number, Stat>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const s = stat(Number(d));
    if (s) r.set(Number(d), s);
  }
  return r;
}

/**
 * CPU seconds of `raiz` and of its live descendants, each with the children it reaped: a backend
 * that ended during a phase is in its parent's cutime, one still running is read itself, so the
 * difference of two readings is the tree's CPU in between. Subtrees rooted at `aparte` are counted
 * on their own (the platform's processes are children of the benchmark). Undefined when `raiz` is gone.
 */
export function cpuArbol(raiz: number, procesos: Map<number, Stat>, aparte: ReadonlySet<number> = new Set()): { segundos: number; descendientes: number } | undefined {
  if (!procesos.has(raiz)) return undefined;
  const hijos = new Map<number, number[]>();
  for (const [pid, s] of procesos) {
    const lista = hijos.get(s.ppid);
    if (lista) lista.push(pid);
    else hijos.set(s.ppid, [pid]);
  }
  let segundos = 0;
  let descendientes = -1;
  const pendientes = [raiz];
  const vistos = new Set<number>();
  while (pendientes.length) {
    const pid = pendientes.pop()!;
    if (vistos.has(pid) || (pid !== raiz && aparte.has(pid))) continue;
    vistos.add(pid);
    const s = procesos.get(pid)!;
    segundos += s.propios + s.hijosTerminados;
    descendientes++;
    pendientes.push(...(hijos.get(pid) ?? []));
  }
  return { segundos, descendientes };
}

/** Busy and total jiffies of the whole machine (first line of /proc/stat). */
export function cpuMaquina(): { ocupado: number; total: number } {
  const linea = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = linea.trim().split(/\s+/).slice(1).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  const ocioso = (v[3] ?? 0) + (v[4] ?? 0); // idle + iowait
  return { ocupado: total - ocioso, total };
}

export interface UsoProceso {
  nombre: string;
  pid: number;
  /** Highest VmRSS seen while sampling this phase (MB, 10^6 bytes). */
  rssMaxMb: number | null;
  /** VmHWM at the end of the phase: peak RSS since the process started (MB). */
  hwmMb: number | null;
  /** CPU of the process and its descendants over the phase (s). */
  cpuSegundos: number | null;
  /** CPU over the phase's wall time, in % of one core (200 % = both cores). */
  cpuPorciento: number | null;
  /** Live descendants at the end of the phase (PostgreSQL's backends and workers): their CPU is in `cpuSegundos`, their memory is not in the RSS figures. */
  descendientes: number;
}

export interface UsoFase {
  procesos: UsoProceso[];
  /** Whole machine, % of all cores busy (anything else running on it counts too). */
  maquinaPorciento: number;
  /** The processes sampled here (platform + load generator), % of all cores: the rest of `maquinaPorciento` is someone else's. */
  propioPorciento: number;
  nucleos: number;
}

const mb = (kb: number) => Math.round((kb * 1024) / 1e5) / 10;

/** Samples VmRSS every second from `iniciar()` until `terminar()`, and CPU between the two. */
export class MuestreoProcesos {
  private rssMax = new Map<number, number>();
  private cpu0 = new Map<number, number>();
  private maquina0 = cpuMaquina();
  private t0 = Date.now();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly procesos: () => Proceso[],
    private readonly nucleos: number,
  ) {}

  iniciar(): void {
    this.t0 = Date.now();
    this.maquina0 = cpuMaquina();
    const ahora = todos();
    const raices = new Set(this.procesos().map((p) => p.pid));
    for (const p of this.procesos()) {
      const c = cpuArbol(p.pid, ahora, raices);
      if (c !== undefined) this.cpu0.set(p.pid, c.segundos);
    }
    this.muestrear();
    this.timer = setInterval(() => this.muestrear(), 1000);
  }

  private muestrear(): void {
    for (const p of this.procesos()) {
      const m = memoria(p.pid);
      if (m && Number.isFinite(m.rssKb)) this.rssMax.set(p.pid, Math.max(this.rssMax.get(p.pid) ?? 0, m.rssKb));
    }
  }

  terminar(): UsoFase {
    if (this.timer) clearInterval(this.timer);
    this.muestrear();
    const segundos = Math.max(0.001, (Date.now() - this.t0) / 1000);
    const maquina = cpuMaquina();
    const ahora = todos();
    const raices = new Set(this.procesos().map((p) => p.pid));
    const procesos = this.procesos().map((p): UsoProceso => {
      const m = memoria(p.pid);
      const arbol = cpuArbol(p.pid, ahora, raices);
      const c1 = arbol?.segundos;
      const c0 = this.cpu0.get(p.pid);
      const cpu = c1 !== undefined && c0 !== undefined ? Math.round((c1 - c0) * 100) / 100 : null;
      const rss = this.rssMax.get(p.pid);
      return {
        nombre: p.nombre,
        pid: p.pid,
        rssMaxMb: rss !== undefined ? mb(rss) : null,
        hwmMb: m && Number.isFinite(m.hwmKb) ? mb(m.hwmKb) : null,
        cpuSegundos: cpu,
        cpuPorciento: cpu !== null ? Math.round((cpu / segundos) * 1000) / 10 : null,
        descendientes: arbol?.descendientes ?? 0,
      };
    });
    const total = maquina.total - this.maquina0.total;
    const propio = procesos.reduce((a, p) => a + (p.cpuSegundos ?? 0), 0);
    return {
      procesos,
      propioPorciento: Math.round((propio / segundos / this.nucleos) * 1000) / 10,
      maquinaPorciento: total > 0 ? Math.round(((maquina.ocupado - this.maquina0.ocupado) / total) * 1000) / 10 : 0,
      nucleos: this.nucleos,
    };
  }
}
