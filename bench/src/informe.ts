/**
 * The plain-text report: one table of figures per phase, memory and CPU per process, CPU and store
 * operations per reserva, the query phase, the store latency probe, where the time goes, and the
 * targets.
 */
import { ConsumoBase, Contadores, NOMBRES_CONTADORES } from './almacen';
import { Fase, FaseConsultas, faseALaTasa, Medida, perdidasTotales } from './analisis';
import type { Resumen } from './estadistica';
import type { Salto } from './metricas-dapr';
import type { ComparacionSonda } from './sonda';

export interface Objetivo {
  objetivo: string;
  medido: string;
  ok: boolean;
}

/** Columns before `izquierda` are left-aligned (names), the rest right-aligned (figures). */
export function tabla(filas: string[][], izquierda = 1): string {
  const anchos = filas[0]!.map((_, c) => Math.max(...filas.map((f) => (f[c] ?? '').length)));
  return filas
    .map((f) =>
      f
        .map((celda, c) => (c < izquierda ? celda.padEnd(anchos[c]!) : celda.padStart(anchos[c]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export const ms = (v: number | null) => (v === null ? '-' : v >= 100 ? String(Math.round(v)) : v.toFixed(1));
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
    ['completed (notification + both models)', (f) => String(f.completadas)],
    ['lost (unfinished after drain): notif/write/read', (f) => `${f.perdidas.sinNotificacion}/${f.perdidas.sinReserva}/${f.perdidas.sinVista}`],
    ['duplicated notifications', (f) => String(f.duplicadas.notificaciones)],
    ['ReservaRechazada', (f) => String(f.rechazadas)],
    ['reservas in MongoDB after phase', (f) => String(f.mongo.reservas)],
    ['outbox messages pending after drain', (f) => String(f.mongo.outboxPendiente)],
    ['store findOne by _id after drain ms', (f) => ms(f.mongo.msBusquedaPorId)],
    ['CPU busy % of all cores: machine / this run', (f) => `${f.uso.maquinaPorciento}/${f.uso.propioPorciento}`],
    ['sustained', (f) => (f.sostenida ? (f.sostenida.ok ? 'yes' : 'NO') : '-')],
  ];
  return tabla([['phase', ...fases.map((f) => f.nombre)], ...filas.map(([nombre, fn]) => [nombre, ...fases.map(fn)])]);
}

/** A process's name, saying when its CPU is that of a whole tree (PostgreSQL's backends). */
function nombreProceso(m: Medida[], nombre: string): string {
  const hijos = Math.max(0, ...m.map((f) => f.uso.procesos.find((p) => p.nombre === nombre)?.descendientes ?? 0));
  return hijos > 0 ? `${nombre} (+${hijos} child processes: CPU of all, RSS of the first)` : nombre;
}

export function tablaProcesos(fases: Medida[], hwmFinal: Map<string, number | null>): string {
  const nombres = fases[0]?.uso.procesos.map((p) => p.nombre) ?? [];
  const cabecera = ['process', 'peak RSS MB (VmHWM)', 'max sampled RSS MB', ...fases.map((f) => `CPU% ${f.nombre}`)];
  const filas = nombres.map((n) => {
    const usos = fases.map((f) => f.uso.procesos.find((p) => p.nombre === n));
    const rss = Math.max(...usos.map((u) => u?.rssMaxMb ?? 0));
    return [nombreProceso(fases, n), String(hwmFinal.get(n) ?? '-'), String(rss), ...usos.map((u) => (u?.cpuPorciento ?? '-').toString())];
  });
  return tabla([cabecera, ...filas]);
}

export const cifra = (v: number | null | undefined) => (v == null ? '-' : v >= 100 ? String(Math.round(v)) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

/** CPU ms per completed reserva (query phase: per GET), per process, per phase; and the sum. */
export function tablaCpuPorUnidad(fases: Medida[]): string {
  const nombres = fases[0]?.uso.procesos.map((p) => p.nombre) ?? [];
  const filas = nombres.map((n) => [nombreProceso(fases, n), ...fases.map((f) => cifra(f.cpuMsPorUnidad[n]))]);
  const total = fases.map((f) => {
    const v = Object.values(f.cpuMsPorUnidad).filter((x): x is number => x !== null);
    return v.length ? cifra(v.reduce((a, b) => a + b, 0)) : '-';
  });
  return tabla([['CPU ms per unit', ...fases.map((f) => f.nombre)], ['  completed units', ...fases.map((f) => String(f.completadas))], ...filas, ['all of these', ...total]]);
}

/**
 * Store operations per completed unit from PostgreSQL's statistics, one row per collection (or
 * table) and counter with any activity, one column per phase; then the commits of the database.
 */
export function tablaAlmacen(fases: Medida[], indiceBase: number): string | undefined {
  const bases = fases.map((f) => f.almacen?.bases[indiceBase]);
  const primera = bases.find((b): b is ConsumoBase => b !== undefined);
  if (!primera) return undefined;
  const claves: { nombre: string; contador: keyof Contadores }[] = [];
  for (const b of bases)
    for (const fila of b?.filas ?? [])
      for (const contador of Object.keys(NOMBRES_CONTADORES) as (keyof Contadores)[])
        if (fila.total[contador] > 0 && !claves.some((k) => k.nombre === fila.nombre && k.contador === contador)) claves.push({ nombre: fila.nombre, contador });
  // A table with no activity in a phase is not listed in it: 0 there (when there is a denominator).
  const celda = (b: ConsumoBase | undefined, k: (typeof claves)[number]) => {
    if (!b || b.commitsPorUnidad === null) return '-';
    return cifra(b.filas.find((f) => f.nombre === k.nombre)?.porUnidad?.[k.contador] ?? 0);
  };
  const filas = claves.map((k) => [k.nombre, NOMBRES_CONTADORES[k.contador], ...bases.map((b) => celda(b, k))]);
  return tabla(
    [
      [primera.esquema !== null ? 'collection' : 'table', 'per completed unit', ...fases.map((f) => f.nombre)],
      ['', 'completed units', ...fases.map((f) => String(f.completadas))],
      ...filas,
      ['(database)', 'transactions committed', ...bases.map((b) => cifra(b?.commitsPorUnidad))],
      ['(database)', 'rolled back (total)', ...bases.map((b) => (b ? String(b.rollbacks) : '-'))],
      ['', 'window s (phase + drain + settle)', ...fases.map((f) => (f.almacen ? String(f.almacen.segundos) : '-'))],
    ],
    2,
  );
}

/** The read-side sampling's polls per completed reserva: each is one findOne by _id, part of the figures above. */
export function sondeosPorUnidad(fases: Fase[]): string {
  return fases
    .map(
      (f) =>
        `${f.nombre}: ${cifra(f.completadas ? f.muestra.sondeosEscrito / f.completadas : null)} write-model / ${cifra(f.completadas ? f.muestra.sondeosVista / f.completadas : null)} read-model`,
    )
    .join('; ');
}

export function tablaConsultas(c: FaseConsultas): string {
  const otros =
    Object.entries(c.estados)
      .filter(([k]) => k !== '200')
      .map(([k, v]) => `${k}:${v}`)
      .join(' ') || '0';
  return tabla([
    ['query phase', c.nombre],
    ['platform #', String(c.plataforma)],
    ['reservas bulk-loaded (insertMany, both models)', `${c.carga.cargadas} in ${c.carga.segundos} s (${c.carga.porSegundo}/s); ${c.carga.antes} were there`],
    ['reservas stored: write model / read model', `${c.almacenadas.reservas} / ${c.almacenadas.vista}`],
    ['target rate /s, duration s', `${c.tasaObjetivo}, ${c.segundos}`],
    ['sent /s (achieved)', String(c.tasaLograda)],
    ['sent', String(c.enviados)],
    ['200 with the reserva asked for', String(c.respondidas)],
    ['errors (other statuses)', `${c.errores}${c.errores ? ` (${otros})` : ''}`],
    ['GET->200 ms p50/p95/p99/max', lat(c.latencia)],
    ['every request, errors included, ms p99/max', `${ms(c.latenciaTodas.p99)}/${ms(c.latenciaTodas.max)}`],
    ['generator lag ms p99/max', `${ms(c.retrasoGenerador.p99)}/${ms(c.retrasoGenerador.max)}`],
    ['CPU busy % of all cores: machine / this run', `${c.uso.maquinaPorciento}/${c.uso.propioPorciento}`],
  ]);
}

export function tablaSonda(comparacion: ComparacionSonda[], inicio: string, fin: string): string {
  const celda = (r: Resumen | null) => (r && r.n ? `${ms(r.p50)}/${ms(r.p99)} (${r.n})` : '-');
  const veces = (x: number | null) => (x === null ? '-' : `${x}x`);
  return tabla([
    ['operation (sequential, ms p50/p99 (n))', `start: ${inicio}`, `end: ${fin}`, 'end/start p50', 'p99'],
    ...comparacion.map((c) => [c.operacion, celda(c.inicio), celda(c.fin), veces(c.razonP50), veces(c.razonP99)]),
  ]);
}

/** The sampled per-hop medians, then the sidecars' own view of each hop (mean, from their histograms). */
export function dondeVaElTiempo(f: Fase, sondeoMs: number, cuantos = 12): string {
  const l = f.latencias;
  const filas = [
    ['hop (sampled reservas, ms)', 'p50', 'p95', 'p99', 'n'],
    ['POST -> 202 (API validates, publishes command via daprd to Pulsar)', ms(l.post202.p50), ms(l.post202.p95), ms(l.post202.p99), String(l.post202.n)],
    [
      '202 -> reserva in write model (Pulsar -> daprd -> aeroalpes CrearReserva)',
      ms(l.respuestaAEscrito.p50),
      ms(l.respuestaAEscrito.p95),
      ms(l.respuestaAEscrito.p99),
      String(l.respuestaAEscrito.n),
    ],
    [
      'write model -> notification recorded (ReservaCreada via Pulsar)',
      ms(l.escritoANotificacion.p50),
      ms(l.escritoANotificacion.p95),
      ms(l.escritoANotificacion.p99),
      String(l.escritoANotificacion.n),
    ],
    ['write model -> read model visible (projection)', ms(l.escritoAVista.p50), ms(l.escritoAVista.p95), ms(l.escritoAVista.p99), String(l.escritoAVista.n)],
  ];
  const saltos: Salto[] = f.saltos.slice(0, cuantos);
  const filasSaltos = [
    ['sidecar', 'metric (daprd histogram)', 'labels', 'ops', 'mean ms'],
    ...saltos.map((s) => [s.sidecar, s.metrica.replace(/^dapr_/, ''), s.etiquetas, String(s.operaciones), ms(s.mediaMs)]),
  ];
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

/** The targets of the issue, on this machine. */
export const METAS = {
  tasaSostenida: 250,
  tasaLatencia: 100,
  p99NotificacionMs: 250,
  rssMb: 150,
  tasaRss: 250,
  consultas: { tasa: 500, p99Ms: 20, documentos: 100_000 },
};

export interface EntradaObjetivos {
  fases: Fase[];
  consultas: FaseConsultas | undefined;
  hwmFinal: Map<string, number | null>;
  nodos: string[];
  /** Write-model documents beyond what the unanswered requests can explain. */
  duplicadasMongo: number;
}

export function objetivos({ fases, consultas, hwmFinal, nodos, duplicadasMongo }: EntradaObjetivos): Objetivo[] {
  const r: Objetivo[] = [];
  const escalones = fases.filter((f) => f.tipo === 'escalon');
  const sostenidas = escalones.filter((f) => f.sostenida?.ok);
  const mejor = sostenidas.length ? Math.max(...sostenidas.map((f) => f.tasaObjetivo)) : undefined;
  r.push({
    objetivo: `highest rate sustained >= ${METAS.tasaSostenida} reservas/s end to end, nothing lost`,
    medido: escalones.length === 0 ? 'step phase not run' : mejor !== undefined ? `highest sustained step ${mejor}/s` : 'no step sustained',
    ok: mejor !== undefined && mejor >= METAS.tasaSostenida,
  });

  // The fixed phase when it ran at the target's rate, else the step at that rate, else the fixed phase (judged as not at the rate).
  const fija = fases.find((f) => f.tipo === 'fija');
  const aLaTasa = faseALaTasa(fases, METAS.tasaLatencia);
  const p99 = aLaTasa?.latencias.postNotificacion.p99 ?? null;
  const aceptadas = aLaTasa !== undefined && aLaTasa.aceptadosPorSegundo >= 0.95 * aLaTasa.tasaObjetivo;
  r.push({
    objetivo: `p99 POST->notification <= ${METAS.p99NotificacionMs} ms at ${METAS.tasaLatencia}/s`,
    medido: aLaTasa
      ? `p99 ${ms(p99)} ms in '${aLaTasa.nombre}' (${aLaTasa.aceptadosPorSegundo}/s accepted, ${perdidasTotales(aLaTasa)} lost)`
      : 'neither the fixed phase nor a step ran',
    ok: aLaTasa !== undefined && aLaTasa.tasaObjetivo >= METAS.tasaLatencia && aceptadas && p99 !== null && p99 <= METAS.p99NotificacionMs && perdidasTotales(aLaTasa) === 0,
  });

  // Peak RSS as of the end of the step at the target's rate (or the highest step run, or the fixed phase).
  const corridos = [...escalones].sort((a, b) => b.tasaObjetivo - a.tasaObjetivo);
  const faseRss = escalones.find((f) => f.tasaObjetivo === METAS.tasaRss) ?? corridos[0] ?? fija;
  const rssDe = (n: string) => faseRss?.uso.procesos.find((p) => p.nombre === n)?.hwmMb ?? null;
  r.push({
    objetivo: `every Node service <= ${METAS.rssMb} MB peak RSS (VmHWM) at ${METAS.tasaRss}/s`,
    medido: faseRss
      ? `after '${faseRss.nombre}'${faseRss.tasaObjetivo !== METAS.tasaRss ? ` (${METAS.tasaRss}/s not run)` : ''}: ${nodos.map((n) => `${n} ${rssDe(n) ?? '?'} MB`).join(', ')}; whole run: ${nodos.map((n) => `${hwmFinal.get(n) ?? '?'}`).join('/')} MB`
      : 'no load phase ran',
    ok: faseRss !== undefined && nodos.every((n) => (rssDe(n) ?? Infinity) <= METAS.rssMb),
  });

  const medidas = fases.filter((f) => f.tipo !== 'calentamiento');
  const perdidas = medidas.reduce((a, f) => a + perdidasTotales(f), 0);
  const dup = medidas.reduce((a, f) => a + f.duplicadas.notificaciones, 0);
  r.push({
    objetivo: 'lost = 0 and duplicated = 0 (every measured phase)',
    medido: `lost ${perdidas}, duplicated notifications ${dup}, duplicated reservas ${duplicadasMongo}`,
    ok: perdidas === 0 && dup === 0 && duplicadasMongo === 0,
  });

  const m = METAS.consultas;
  r.push({
    objetivo: `GET /vuelos/reserva-query/{id} at ${m.tasa}/s: p99 <= ${m.p99Ms} ms with ${m.documentos.toLocaleString('en')} reservas stored`,
    medido: consultas
      ? `p99 ${ms(consultas.latencia.p99)} ms (p50 ${ms(consultas.latencia.p50)}), ${consultas.tasaLograda}/s sent, ${consultas.almacenadas.vista.toLocaleString('en')} stored, ${consultas.errores} errors`
      : 'query phase not run',
    ok:
      consultas !== undefined &&
      consultas.tasaObjetivo >= m.tasa &&
      consultas.tasaLograda >= 0.95 * m.tasa &&
      consultas.almacenadas.vista >= m.documentos &&
      consultas.errores === 0 &&
      consultas.latencia.p99 !== null &&
      consultas.latencia.p99 <= m.p99Ms,
  });
  return r;
}

export function tablaObjetivos(o: Objetivo[]): string {
  return tabla([['target', 'measured', 'result'], ...o.map((x) => [x.objetivo, x.medido, x.ok ? 'PASS' : 'FAIL'])]);
}
