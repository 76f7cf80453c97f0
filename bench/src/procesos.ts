/**
 * Memory and CPU of the platform's processes, read from /proc (Linux): VmRSS sampled during a
 * phase, VmHWM (the kernel's peak RSS since the process started) at the end, and CPU time
 * (utime + stime) so a phase shows which process the two cores were busy with.
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

/** CPU seconds (user + system) the process has used so far. */
export function cpuSegundos(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields start after the last ')'.
    const campos = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(campos[11]) + Number(campos[12])) / HZ; // fields 14 and 15
  } catch {
    return undefined;
  }
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
  cpuSegundos: number | null;
  /** CPU over the phase's wall time, in % of one core (200 % = both cores). */
  cpuPorciento: number | null;
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
    for (const p of this.procesos()) {
      const c = cpuSegundos(p.pid);
      if (c !== undefined) this.cpu0.set(p.pid, c);
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
    const procesos = this.procesos().map((p): UsoProceso => {
      const m = memoria(p.pid);
      const c1 = cpuSegundos(p.pid);
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
