/** The plain-text report: one table of figures per phase, memory and CPU per process, where the time goes, and the targets. */
import { Fase, perdidasTotales } from './analisis';
import type { Resumen } from './estadistica';
import type { Salto } from './metricas-dapr';

export interface Objetivo {
  objetivo: string;
  medido: string;
  ok: boolean;
}

/** Columns before `izquierda` are left-aligned (names), the rest right-aligned (figures). */
function tabla(filas: string[][], izquierda = 1): string {
  const anchos = filas[0]!.map((_, c) => Math.max(...filas.map((f) => (f[c] ?? '').length)));
  return filas.map((f) => f.map((celda, c) => (c < izquierda ? celda.padEnd(anchos[c]!) : celda.padStart(anchos[c]!))).join('  ').trimEnd()).join('\n');
}

const ms = (v: number | null) => (v === null ? '-' : v >= 100 ? String(Math.round(v)) : v.toFixed(1));
const lat = (r: Resumen) => (r.n === 0 ? '-' : `${ms(r.p50)}/${ms(r.p95)}/${ms(r.p99)}/${ms(r.max)}`);

export function tablaFases(fases: Fase[]): string {
  const estadosOtros = (f: Fase) =>
    Object.entries(f.estados)
      .filter(([k]) => k !== '202')
      .map(([k, v]) => `${k}:${v}`)
      .join(' ') || '0';
  const filas: [string, (f: Fase) => string][] = [
    ['platform # (fresh one after a backlog)', (f) => String(f.plataforma)],
    ['target rate /s', (f) => String(f.tasaObjetivo)],
    ['duration s', (f) => String(f.segundos)],
    ['sent /s (achieved)', (f) => String(f.tasaLograda)],
    ['sent', (f) => String(f.enviados)],
    ['202 accepted', (f) => String(f.estados['202'] ?? 0)],
    ['other statuses', estadosOtros],
    ['accepted /s', (f) => String(f.aceptadosPorSegundo)],
    ['end-to-end notifications /s', (f) => String(f.extremoAExtremo.porSegundo)],
    ['last notification after last POST ms', (f) => ms(f.extremoAExtremo.drenajeMs)],
    ['POST->202 ms p50/p95/p99/max', (f) => lat(f.latencias.post202)],
    ['POST->notification ms p50/p95/p99/max', (f) => lat(f.latencias.postNotificacion)],
    ['POST->read model ms (sampled)', (f) => lat(f.latencias.postVista)],
    ['  sampled reservas (1 in N)', (f) => `${f.latencias.postVista.n} (1/${f.muestra.cada})`],
    ['  samples skipped (poller cap) / gave up', (f) => `${f.muestra.omitidas} / ${f.muestra.sinEscrito + f.muestra.sinVista}`],
    ['  sampling polls /s (extra load)', (f) => String(f.muestra.sondeosPorSegundo)],
    ['median POST->notif 1st/last third ms', (f) => `${ms(f.tendencia.p50PrimerTercio)}/${ms(f.tendencia.p50UltimoTercio)}`],
    ['generator lag ms p99/max', (f) => `${ms(f.retrasoGenerador.p99)}/${ms(f.retrasoGenerador.max)}`],
    ['lost (unfinished after drain): notif/write/read', (f) => `${f.perdidas.sinNotificacion}/${f.perdidas.sinReserva}/${f.perdidas.sinVista}`],
    ['duplicated notifications', (f) => String(f.duplicadas.notificaciones)],
    ['ReservaRechazada', (f) => String(f.rechazadas)],
    ['reservas in MongoDB after phase', (f) => String(f.mongo.reservas)],
    ['outbox messages pending after drain', (f) => String(f.mongo.outboxPendiente)],
    ['FerretDB findOne by _id after drain ms', (f) => ms(f.mongo.msBusquedaPorId)],
    ['CPU busy % of all cores: machine / this run', (f) => `${f.uso.maquinaPorciento}/${f.uso.propioPorciento}`],
    ['sustained', (f) => (f.sostenida ? (f.sostenida.ok ? 'yes' : 'NO') : '-')],
  ];
  return tabla([['phase', ...fases.map((f) => f.nombre)], ...filas.map(([nombre, fn]) => [nombre, ...fases.map(fn)])]);
}

export function tablaProcesos(fases: Fase[], hwmFinal: Map<string, number | null>): string {
  const nombres = fases[0]?.uso.procesos.map((p) => p.nombre) ?? [];
  const cabecera = ['process', 'peak RSS MB (VmHWM)', 'max sampled RSS MB', ...fases.map((f) => `CPU% ${f.nombre}`)];
  const filas = nombres.map((n) => {
    const usos = fases.map((f) => f.uso.procesos.find((p) => p.nombre === n));
    const rss = Math.max(...usos.map((u) => u?.rssMaxMb ?? 0));
    return [n, String(hwmFinal.get(n) ?? '-'), String(rss), ...usos.map((u) => (u?.cpuPorciento ?? '-').toString())];
  });
  return tabla([cabecera, ...filas]);
}

/** The sampled per-hop medians, then the sidecars' own view of each hop (mean, from their histograms). */
export function dondeVaElTiempo(f: Fase, sondeoMs: number, cuantos = 12): string {
  const l = f.latencias;
  const filas = [
    ['hop (sampled reservas, ms)', 'p50', 'p95', 'p99', 'n'],
    ['POST -> 202 (API validates, publishes command via daprd to Pulsar)', ms(l.post202.p50), ms(l.post202.p95), ms(l.post202.p99), String(l.post202.n)],
    ['202 -> reserva in write model (Pulsar -> daprd -> aeroalpes CrearReserva)', ms(l.respuestaAEscrito.p50), ms(l.respuestaAEscrito.p95), ms(l.respuestaAEscrito.p99), String(l.respuestaAEscrito.n)],
    ['write model -> notification recorded (ReservaCreada via Pulsar)', ms(l.escritoANotificacion.p50), ms(l.escritoANotificacion.p95), ms(l.escritoANotificacion.p99), String(l.escritoANotificacion.n)],
    ['write model -> read model visible (projection)', ms(l.escritoAVista.p50), ms(l.escritoAVista.p95), ms(l.escritoAVista.p99), String(l.escritoAVista.n)],
  ];
  const saltos: Salto[] = f.saltos.slice(0, cuantos);
  const filasSaltos = [['sidecar', 'metric (daprd histogram)', 'labels', 'ops', 'mean ms'], ...saltos.map((s) => [s.sidecar, s.metrica.replace(/^dapr_/, ''), s.etiquetas, String(s.operaciones), ms(s.mediaMs)])];
  const cpu = [...f.uso.procesos]
    .filter((p) => p.cpuSegundos !== null)
    .sort((a, b) => (b.cpuSegundos ?? 0) - (a.cpuSegundos ?? 0))
    .map((p) => `${p.nombre} ${p.cpuPorciento}%`)
    .join(', ');
  return [
    tabla(filas.map((r) => r.map(String))).replace(/^/gm, '  '),
    `  (sampled hops are known to about ±${sondeoMs} ms, the poll interval)`,
    '',
    tabla(filasSaltos, 3).replace(/^/gm, '  '),
    '',
    `  CPU by process (% of one core, ${f.uso.nucleos} cores): ${cpu}`,
  ].join('\n');
}

/** `duplicadasMongo`: write-model documents beyond what the unanswered requests can explain. */
export function objetivos(fija: Fase | undefined, escalones: Fase[], todas: Fase[], hwmFinal: Map<string, number | null>, nodos: string[], duplicadasMongo: number): Objetivo[] {
  const r: Objetivo[] = [];
  const sostenidas = escalones.filter((f) => f.sostenida?.ok);
  const mejor = sostenidas.length ? Math.max(...sostenidas.map((f) => f.tasaObjetivo)) : undefined;
  r.push({
    objetivo: '>= 500 reservas/s sustained end to end, nothing lost',
    medido: escalones.length === 0 ? 'step phase not run' : mejor !== undefined ? `highest sustained step ${mejor}/s` : 'no step sustained',
    ok: mejor !== undefined && mejor >= 500,
  });
  const p99 = fija?.latencias.postNotificacion.p99 ?? null;
  r.push({
    objetivo: 'p99 POST->notification < 250 ms at 200/s',
    medido: fija ? `p99 ${ms(p99)} ms at ${fija.tasaObjetivo}/s target (${fija.aceptadosPorSegundo}/s accepted)` : 'fixed-rate phase not run',
    ok: fija !== undefined && fija.tasaObjetivo >= 200 && p99 !== null && p99 < 250 && perdidasTotales(fija) === 0,
  });
  const pesos = nodos.map((n) => `${n} ${hwmFinal.get(n) ?? '?'} MB`);
  r.push({
    objetivo: 'every Node service < 150 MB RSS (peak, VmHWM)',
    medido: pesos.join(', '),
    ok: nodos.every((n) => (hwmFinal.get(n) ?? Infinity) < 150),
  });
  const medidas = todas.filter((f) => f.tipo !== 'calentamiento');
  const perdidas = medidas.reduce((a, f) => a + perdidasTotales(f), 0);
  const dup = medidas.reduce((a, f) => a + f.duplicadas.notificaciones, 0);
  r.push({
    objetivo: 'lost = 0 and duplicated = 0 (every measured phase)',
    medido: `lost ${perdidas}, duplicated notifications ${dup}, duplicated reservas ${duplicadasMongo}`,
    ok: perdidas === 0 && dup === 0 && duplicadasMongo === 0,
  });
  return r;
}

export function tablaObjetivos(o: Objetivo[]): string {
  return tabla([['target', 'measured', 'result'], ...o.map((x) => [x.objetivo, x.medido, x.ok ? 'PASS' : 'FAIL'])]);
}
