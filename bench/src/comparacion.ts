/**
 * `--replicas N`: the same phases with one replica of aeroalpes and then with N (a fresh platform
 * each), side by side: the highest rate sustained, p99 POST->notification at the fixed rate, per
 * process CPU per reserva and share of the machine (every replica of a service summed, then each
 * replica) and peak RSS, where the limit is in each run and what moved.
 */
import { MAX_REPLICAS, nombreReplica, SERVICES } from '@aeroalpes/platform';
import { Fase, faseALaTasa } from './analisis';
import { cifra, ms, tabla } from './informe';

export interface CorridaReplicas {
  /** Replicas of aeroalpes in this run (notificaciones and ui run one each). */
  replicas: number;
  fases: Fase[];
  /** VmHWM per process over the whole run (MB). */
  picoRssMb: Record<string, number | null>;
  /** The run stopped part-way: in which phase, and why (`fases` holds the phases it finished). */
  fallo?: { fase: string; mensaje: string };
}

/** The launcher names a replica's sidecar after the replica: `aeroalpes-2-daprd`. */
const SUFIJO_DAPRD = '-daprd';
/** The machine is the limit when this much of all its cores is busy (%). */
const UMBRAL_MAQUINA = 90;
/** A Node service runs its JavaScript on one thread: at this much of one core (%) it is the limit. */
const UMBRAL_NUCLEO = 90;
/** A process's CPU per reserva "moved" when it changed by at least this much (ms) and this fraction. */
const CAMBIO_MINIMO_MS = 0.1;
const CAMBIO_MINIMO_RELATIVO = 0.1;
/** A share of the machine "moved" when it changed by at least this many points of one core. */
const CAMBIO_MINIMO_PUNTOS = 5;

/** The group a process is summed in: every replica of a service (`aeroalpes`, `aeroalpes-2`), every replica's daprd; anything else on its own. */
export function grupoProceso(nombre: string): string {
  const daprd = nombre.endsWith(SUFIJO_DAPRD);
  const base = daprd ? nombre.slice(0, -SUFIJO_DAPRD.length) : nombre;
  for (const s of SERVICES) for (let k = 1; k <= MAX_REPLICAS; k++) if (nombreReplica(s, k) === base) return daprd ? s + SUFIJO_DAPRD : s;
  return nombre;
}

const escalones = (fases: Fase[]) => fases.filter((f) => f.tipo === 'escalon');

export function maximaSostenida(fases: Fase[]): number | null {
  const ok = escalones(fases).filter((f) => f.sostenida?.ok);
  return ok.length ? Math.max(...ok.map((f) => f.tasaObjetivo)) : null;
}

/** Where a run met its limit: the first step not sustained, else the highest step run, else the fixed phase. */
export function faseLimite(fases: Fase[]): Fase | undefined {
  const e = escalones(fases);
  return e.find((f) => f.sostenida && !f.sostenida.ok) ?? e.at(-1) ?? fases.find((f) => f.tipo === 'fija');
}

/** The same load in both runs: the highest step both sustained, else both fixed phases when at the same rate. */
export function fasesComparables(a: Fase[], b: Fase[]): [Fase, Fase] | undefined {
  const sostenidas = (fases: Fase[]) => new Map(escalones(fases).flatMap((f) => (f.sostenida?.ok ? [[f.tasaObjetivo, f] as const] : [])));
  const sa = sostenidas(a);
  const sb = sostenidas(b);
  const comunes = [...sa.keys()].filter((t) => sb.has(t));
  if (comunes.length) {
    const t = Math.max(...comunes);
    return [sa.get(t)!, sb.get(t)!];
  }
  const fa = a.find((f) => f.tipo === 'fija');
  const fb = b.find((f) => f.tipo === 'fija');
  return fa && fb && fa.tasaObjetivo === fb.tasaObjetivo ? [fa, fb] : undefined;
}

export interface LimiteCorrida {
  fase: string;
  /** null: a phase that is not judged (the fixed phase). */
  sostenida: boolean | null;
  motivos: string[];
  notificacionesPorSegundo: number;
  /** % of all cores: the whole machine, and the processes of this run. */
  maquinaPorciento: number;
  propioPorciento: number;
  /** 'maquina': (nearly) every core busy; 'proceso': a Node service near a full core while the machine is not; 'ninguno': no CPU limit. */
  tipo: 'maquina' | 'proceso' | 'ninguno';
  /** Node services at UMBRAL_NUCLEO % of one core or more. */
  procesosLlenos: string[];
  /** The three largest shares, by group, in % of one core. */
  mayores: { grupo: string; porciento: number }[];
}

export interface ResumenCorrida {
  replicas: number;
  maximaSostenida: number | null;
  latencia: { fase: string; p50: number | null; p99: number | null } | null;
  /** Null when no phase ran, or when the run stopped part-way (then `fallo`). */
  limite: LimiteCorrida | null;
  fallo: { fase: string; mensaje: string } | null;
}

export interface FilaProceso {
  proceso: string;
  /** The sum of a service's replicas (or of their sidecars); its replicas follow as rows of their own. */
  suma: boolean;
  /** A row of one replica, after its sum: the sum's name. */
  replicaDe?: string;
  /** Per run (1 replica, N): CPU ms per completed reserva in the comparable phase, % of one core in the run's limit phase, peak RSS over the run. */
  cpuMsPorReserva: (number | null)[];
  porcientoNucleo: (number | null)[];
  picoRssMb: (number | null)[];
}

export interface ComparacionReplicas {
  /** With one replica of aeroalpes, then with N. */
  corridas: [ResumenCorrida, ResumenCorrida];
  tasaFija: number;
  nucleos: number;
  /** The phase each run's CPU per reserva comes from (null: no phase ran at the same load in both). */
  fasesCpu: [string, string] | null;
  procesos: FilaProceso[];
  /** Every process together. */
  total: FilaProceso;
  /** Where the limit is in each run, and what moved between them. */
  conclusiones: string[];
}

const redondear = (x: number) => Math.round(x * 100) / 100;

function sumar(xs: (number | null | undefined)[]): number | null {
  const v = xs.filter((x): x is number => x !== null && x !== undefined);
  return v.length ? redondear(v.reduce((a, b) => a + b, 0)) : null;
}

/** CPU share of each group in a phase (% of one core), largest first. */
function porGrupo(f: Fase): { grupo: string; porciento: number }[] {
  const m = new Map<string, number>();
  for (const p of f.uso.procesos) if (p.cpuPorciento !== null) m.set(grupoProceso(p.nombre), (m.get(grupoProceso(p.nombre)) ?? 0) + p.cpuPorciento);
  return [...m.entries()].map(([grupo, porciento]) => ({ grupo, porciento: Math.round(porciento * 10) / 10 })).sort((a, b) => b.porciento - a.porciento);
}

export function limiteDe(f: Fase): LimiteCorrida {
  const servicios = SERVICES as string[];
  const procesosLlenos = f.uso.procesos.filter((p) => servicios.includes(grupoProceso(p.nombre)) && (p.cpuPorciento ?? 0) >= UMBRAL_NUCLEO).map((p) => p.nombre);
  const maquina = f.uso.maquinaPorciento;
  return {
    fase: f.nombre,
    sostenida: f.sostenida ? f.sostenida.ok : null,
    motivos: f.sostenida?.motivos ?? [],
    notificacionesPorSegundo: f.extremoAExtremo.porSegundo,
    maquinaPorciento: maquina,
    propioPorciento: f.uso.propioPorciento,
    tipo: maquina >= UMBRAL_MAQUINA ? 'maquina' : procesosLlenos.length ? 'proceso' : 'ninguno',
    procesosLlenos,
    mayores: porGrupo(f).slice(0, 3),
  };
}

function filas(corridas: [CorridaReplicas, CorridaReplicas], fasesCpu: [Fase, Fase] | undefined, limites: (Fase | undefined)[]): FilaProceso[] {
  // In the order the platform starts them; the run with N replicas names every process.
  const nombres: string[] = [];
  for (const c of [corridas[1], corridas[0]]) for (const f of c.fases) for (const p of f.uso.procesos) if (!nombres.includes(p.nombre)) nombres.push(p.nombre);
  const fila = (proceso: string, miembros: string[], replicaDe?: string): FilaProceso => ({
    proceso,
    suma: miembros.length > 1,
    ...(replicaDe !== undefined ? { replicaDe } : {}),
    cpuMsPorReserva: corridas.map((_, i) => sumar(miembros.map((n) => fasesCpu?.[i].cpuMsPorUnidad[n]))),
    porcientoNucleo: corridas.map((_, i) => sumar(miembros.map((n) => limites[i]?.uso.procesos.find((p) => p.nombre === n)?.cpuPorciento))),
    picoRssMb: corridas.map((c) => sumar(miembros.map((n) => c.picoRssMb[n]))),
  });
  const grupos = new Map<string, string[]>();
  for (const n of nombres) grupos.set(grupoProceso(n), [...(grupos.get(grupoProceso(n)) ?? []), n]);
  return [...grupos.entries()].flatMap(([grupo, miembros]) =>
    miembros.length > 1 ? [fila(grupo, miembros), ...miembros.map((n) => fila(n, [n], grupo))] : [fila(miembros[0]!, miembros)],
  );
}

const etiqueta = (r: number) => `aeroalpes ×${r}`;
const signo = (d: number) => `${d >= 0 ? '+' : '-'}${cifra(Math.abs(d))}`;

function cambio(a: number | null, b: number | null): string {
  if (a === null || b === null) return '-';
  const pct = Math.round(((b - a) / a) * 100);
  return a > 0 ? `${signo(b - a)} (${pct >= 0 ? '+' : '-'}${Math.abs(pct)} %)` : signo(b - a);
}

function describirLimite(l: LimiteCorrida, nucleos: number): string {
  const fase = `'${l.fase}'${l.sostenida === false ? ` (not sustained: ${l.motivos.join('; ')})` : l.sostenida ? ' (sustained: the highest step run)' : ''}`;
  const donde =
    l.tipo === 'maquina'
      ? `the whole machine is the limit: ${l.maquinaPorciento} % of its ${nucleos} cores busy (this run's processes ${l.propioPorciento} %)`
      : l.tipo === 'proceso'
        ? `${l.procesosLlenos.join(', ')} near a full core (a Node service runs its JavaScript on one thread) while the machine is ${l.maquinaPorciento} % busy: that service is the limit`
        : `no CPU limit reached: the machine is ${l.maquinaPorciento} % busy and no Node service is near a full core`;
  return `at ${fase}: ${donde}; largest shares (% of one core): ${l.mayores.map((m) => `${m.grupo} ${m.porciento}`).join(', ')}`;
}

/** The limit of each run in a few words, to say whether it moved. */
function lugar(l: LimiteCorrida): string {
  return l.tipo === 'maquina' ? 'the whole machine' : l.tipo === 'proceso' ? [...new Set(l.procesosLlenos.map(grupoProceso))].join(', ') : 'no CPU limit';
}

function movimientos(
  filas: FilaProceso[],
  valor: (f: FilaProceso) => (number | null)[],
  movio: (a: number, b: number) => boolean,
  texto: (f: FilaProceso, a: number, b: number) => string,
): string {
  const crecieron: string[] = [];
  const bajaron: string[] = [];
  for (const f of filas) {
    const v = valor(f);
    const [a, b] = [v[0] ?? null, v[1] ?? null];
    if (a === null || b === null || !movio(a, b)) continue;
    (b > a ? crecieron : bajaron).push(texto(f, a, b));
  }
  return `grew: ${crecieron.join(', ') || 'none'}; shrank: ${bajaron.join(', ') || 'none'}`;
}

/** Compares the run with one replica of aeroalpes with the run with N. */
export function compararReplicas(corridas: [CorridaReplicas, CorridaReplicas], tasaFija: number): ComparacionReplicas {
  const comparables = fasesComparables(corridas[0].fases, corridas[1].fases);
  // A run that stopped part-way met its limit where it stopped: no figures of that phase.
  const limites = corridas.map((c) => (c.fallo ? undefined : faseLimite(c.fases)));
  const nucleos = corridas.flatMap((c) => c.fases).find((f) => f.uso.nucleos)?.uso.nucleos ?? 0;
  const resumen = (c: CorridaReplicas, i: number): ResumenCorrida => {
    const l = faseALaTasa(c.fases, tasaFija);
    const p = l?.latencias.postNotificacion;
    return {
      replicas: c.replicas,
      maximaSostenida: maximaSostenida(c.fases),
      latencia: l && p ? { fase: l.nombre, p50: p.p50, p99: p.p99 } : null,
      limite: limites[i] ? limiteDe(limites[i]) : null,
      fallo: c.fallo ?? null,
    };
  };
  const resumenes: [ResumenCorrida, ResumenCorrida] = [resumen(corridas[0], 0), resumen(corridas[1], 1)];
  const procesos = filas(corridas, comparables, limites);
  // Each process once: the sums and the processes that have no replicas.
  const grupos = procesos.filter((f) => f.replicaDe === undefined);
  const total: FilaProceso = {
    proceso: 'all processes',
    suma: true,
    cpuMsPorReserva: [0, 1].map((i) => sumar(grupos.map((f) => f.cpuMsPorReserva[i]))),
    porcientoNucleo: [0, 1].map((i) => sumar(grupos.map((f) => f.porcientoNucleo[i]))),
    picoRssMb: [0, 1].map((i) => sumar(grupos.map((f) => f.picoRssMb[i]))),
  };

  const conclusiones: string[] = [];
  for (const r of resumenes) {
    const donde = r.fallo ? `the run stopped in '${r.fallo.fase}': ${r.fallo.mensaje.split('\n')[0]}` : r.limite ? describirLimite(r.limite, nucleos) : 'no load phase ran';
    conclusiones.push(`${etiqueta(r.replicas)}: ${donde}.`);
  }
  const [la, lb] = [resumenes[0].limite, resumenes[1].limite];
  const [ma, mb] = [resumenes[0].maximaSostenida, resumenes[1].maximaSostenida];
  const tasas = `highest rate sustained ${ma ?? 'none'} -> ${mb ?? 'none'}${ma !== null || mb !== null ? '/s' : ''}`;
  const [da, db] = resumenes.map((r) => (r.fallo ? `a failure in '${r.fallo.fase}'` : r.limite ? lugar(r.limite) : undefined));
  if (da !== undefined && db !== undefined) {
    conclusiones.push(
      da === db
        ? `The limit does not move: ${da} in both runs${la?.tipo === 'maquina' && lb ? ` (${la.maquinaPorciento} % and ${lb.maquinaPorciento} % of ${nucleos} cores busy)` : ''}; ${tasas}.`
        : `The limit moves from ${da} to ${db}; ${tasas}.`,
    );
  }
  if (comparables) {
    conclusiones.push(
      `CPU per reserva at '${comparables[0].nombre}' (the same load in both): every process ${cifra(total.cpuMsPorReserva[0])} -> ${cifra(total.cpuMsPorReserva[1])} ms; ` +
        movimientos(
          grupos,
          (f) => f.cpuMsPorReserva,
          (a, b) => Math.abs(b - a) >= CAMBIO_MINIMO_MS && Math.abs(b - a) >= CAMBIO_MINIMO_RELATIVO * a,
          (f, a, b) => `${f.proceso} ${cifra(a)} -> ${cifra(b)} ms`,
        ) +
        '.',
    );
  }
  if (la && lb) {
    conclusiones.push(
      `Share of the machine at the limit ('${la.fase}' / '${lb.fase}', % of one core): ` +
        movimientos(
          grupos,
          (f) => f.porcientoNucleo,
          (a, b) => Math.abs(b - a) >= CAMBIO_MINIMO_PUNTOS,
          (f, a, b) => `${f.proceso} ${cifra(a)} -> ${cifra(b)}`,
        ) +
        '.',
    );
  }
  return { corridas: resumenes, tasaFija, nucleos, fasesCpu: comparables ? [comparables[0].nombre, comparables[1].nombre] : null, procesos, total, conclusiones };
}

/** The comparison as text: the summary, the per-process table, then the conclusions. */
export function informeReplicas(c: ComparacionReplicas): string {
  const cols = c.corridas.map((r) => etiqueta(r.replicas));
  const resumen = tabla([
    ['', ...cols],
    ['highest rate sustained /s', ...c.corridas.map((r) => (r.maximaSostenida === null ? 'none' : String(r.maximaSostenida)))],
    [
      `p99 POST->notification ms at ${c.tasaFija}/s (p50; phase)`,
      ...c.corridas.map((r) => (r.latencia ? `${ms(r.latencia.p99)} (${ms(r.latencia.p50)}; ${r.latencia.fase})` : 'not run')),
    ],
    ['limit phase (first step not sustained, else the highest)', ...c.corridas.map((r) => (r.fallo ? `${r.fallo.fase} (run stopped in it)` : (r.limite?.fase ?? '-')))],
    ['  end-to-end notifications /s in it', ...c.corridas.map((r) => (r.limite ? String(r.limite.notificacionesPorSegundo) : '-'))],
    [`  CPU busy % of all ${c.nucleos} cores: machine / this run`, ...c.corridas.map((r) => (r.limite ? `${r.limite.maquinaPorciento}/${r.limite.propioPorciento}` : '-'))],
  ]);
  const cpu = c.fasesCpu ? `CPU ms per completed reserva at '${c.fasesCpu[0]}' (the same load in both)` : 'CPU ms per reserva: no phase ran at the same load in both';
  const corto = cols.map((x) => x.replace('aeroalpes ', ''));
  const cabecera = ['process', ...corto.map((x) => `CPU ms/reserva ${x}`), 'change', ...corto.map((x) => `% of a core ${x}`), ...corto.map((x) => `peak RSS MB ${x}`)];
  const fila = (f: FilaProceso) => [
    `${f.replicaDe !== undefined ? '  ' : ''}${f.proceso}${f.suma && f !== c.total ? ' (all replicas)' : ''}`,
    ...f.cpuMsPorReserva.map(cifra),
    cambio(f.cpuMsPorReserva[0] ?? null, f.cpuMsPorReserva[1] ?? null),
    ...f.porcientoNucleo.map((v) => (v === null ? '-' : String(Math.round(v * 10) / 10))),
    ...f.picoRssMb.map((v) => (v === null ? '-' : String(v))),
  ];
  const porProceso = tabla([cabecera, ...c.procesos.map(fila), fila(c.total)]);
  return [
    `The same phases with one replica of aeroalpes, then with ${c.corridas[1].replicas} (a fresh platform each; notificaciones and ui one replica each):`,
    '',
    resumen,
    '',
    `Per process: ${cpu}; % of one core in each run's limit phase (${c.corridas.map((r) => (r.limite ? `'${r.limite.fase}'` : '-')).join(' / ')}); peak RSS (VmHWM) over each run. A service's replicas are summed, then listed one by one:`,
    porProceso,
    '',
    'Where the limit is:',
    ...c.conclusiones.map((x) => `  ${x}`),
  ].join('\n');
}
