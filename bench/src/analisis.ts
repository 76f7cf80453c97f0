/** Turns one phase's raw records into its figures, and decides whether a step was sustained. */
import type { ConsumoAlmacen } from './almacen';
import type { ResultadoCarga } from './carga';
import type { CargaMasiva, FigurasConsultas } from './consultas';
import { mediana, Resumen, resumir } from './estadistica';
import type { Salto } from './metricas-dapr';
import type { UsoFase } from './procesos';
import type { NotificacionVista } from './recoleccion';

/** What the per-process and per-store tables need of any phase. */
export interface Medida {
  nombre: string;
  uso: UsoFase;
  /** What CPU and store figures are divided by: reservas completed (notification, write and read model) by the drain deadline; query phase: GETs answered 200. */
  completadas: number;
  /** CPU ms per completed unit, per process (its descendants included). */
  cpuMsPorUnidad: Record<string, number | null>;
  /** Store operations counted by PostgreSQL over the phase and its drain (null: not readable). */
  almacen: ConsumoAlmacen | null;
}

export interface Fase extends Medida {
  tipo: 'calentamiento' | 'fija' | 'escalon';
  /** Which platform ran it (a fresh one is started after a backlog the system could not finish). */
  plataforma: number;
  tasaObjetivo: number;
  segundos: number;
  /** Requests sent per second over the sending window. */
  tasaLograda: number;
  enviados: number;
  estados: Record<string, number>;
  aceptados: number;
  aceptadosPorSegundo: number;
  /** How late the generator sent requests versus their schedule (ms): large means the client, not the system, was the limit. */
  retrasoGenerador: Resumen;
  latencias: {
    post202: Resumen;
    postNotificacion: Resumen;
    /** Sampled: POST -> write model has it (reservas). */
    postEscrito: Resumen;
    /** Sampled: POST -> read model has it (reservas_vista). */
    postVista: Resumen;
    /** Sampled, per hop. */
    respuestaAEscrito: Resumen;
    escritoAVista: Resumen;
    escritoANotificacion: Resumen;
  };
  /** `sondeosEscrito`/`sondeosVista`: polls of the write/read model (each one findOne by _id in aeroalpes, counted in the store's figures too). */
  muestra: { cada: number; seguidas: number; omitidas: number; sinEscrito: number; sinVista: number; sondeosPorSegundo: number; sondeosEscrito: number; sondeosVista: number };
  extremoAExtremo: { notificadas: number; porSegundo: number; drenajeMs: number | null };
  /** Median POST->notification of the first and last third of the phase (ms): a growing backlog shows as a rise. */
  tendencia: { p50PrimerTercio: number | null; p50UltimoTercio: number | null };
  perdidas: { sinNotificacion: number; sinReserva: number; sinVista: number; ejemplos: string[] };
  duplicadas: { notificaciones: number; ejemplos: string[] };
  rechazadas: number;
  drenaje: string;
  /** After the drain: documents in the write and read models, write-model documents with unpublished outbox messages, ms to find one reserva by _id. */
  mongo: { reservas: number; vista: number; outboxPendiente: number; msBusquedaPorId: number | null };
  uso: UsoFase;
  saltos: Salto[];
  sostenida?: { ok: boolean; motivos: string[] };
}

export interface Entrada {
  nombre: string;
  tipo: Fase['tipo'];
  plataforma: number;
  tasa: number;
  segundos: number;
  muestraCada: number;
  carga: ResultadoCarga;
  /** When the sampled polling ended. */
  finSondeos: number;
  notificaciones: Map<string, NotificacionVista[]>;
  escritos: Set<string>;
  vistas: Set<string>;
  drenaje: string;
  mongo: Fase['mongo'];
  uso: UsoFase;
  saltos: Salto[];
  almacen: ConsumoAlmacen | null;
}

/** The query phase: the bulk load, then the GETs. */
export interface FaseConsultas extends Medida, FigurasConsultas {
  tipo: 'consultas';
  plataforma: number;
  carga: Omit<CargaMasiva, 'ids' | 'cargadasIds'>;
  /** Reservas in the write and read models when the GETs ran. */
  almacenadas: { reservas: number; vista: number };
}

/** Of `ids`, those finished: a ReservaCreada notification, and a document in both models. */
export function terminadas(ids: string[], notificaciones: Map<string, NotificacionVista[]>, escritos: Set<string>, vistas: Set<string>): string[] {
  return ids.filter((id) => escritos.has(id) && vistas.has(id) && (notificaciones.get(id) ?? []).some((n) => n.tipo === 'ReservaCreada'));
}

/** CPU ms per unit of work, per process. */
export function cpuPorUnidad(uso: UsoFase, unidades: number): Record<string, number | null> {
  return Object.fromEntries(uso.procesos.map((p) => [p.nombre, p.cpuSegundos !== null && unidades > 0 ? Math.round(((p.cpuSegundos * 1000) / unidades) * 100) / 100 : null]));
}

const r1 = (x: number) => Math.round(x * 10) / 10;

export function analizar(e: Entrada): Fase {
  const { envios } = e.carga;
  // Request i goes at i/rate: n requests span (n-1)/rate, and the window they stand for is n/rate.
  const ventana = Math.max(0.001, (e.carga.finEnvio - e.carga.inicio) / 1000 + 1 / e.tasa);
  const estados: Record<string, number> = {};
  for (const x of envios) estados[x.estado] = (estados[x.estado] ?? 0) + 1;
  const aceptados = envios.filter((x) => x.id !== undefined);

  const postNotificacion: number[] = [];
  const porOrden: (number | undefined)[] = [];
  const enviadas: number[] = [];
  const sinNotificacion: string[] = [];
  const duplicadas: string[] = [];
  let rechazadas = 0;
  const creadaDe = new Map<string, number>();
  for (const x of aceptados) {
    const lista = e.notificaciones.get(x.id!) ?? [];
    const creadas = lista.filter((n) => n.tipo === 'ReservaCreada');
    rechazadas += lista.filter((n) => n.tipo === 'ReservaRechazada').length;
    if (creadas.length > 1) duplicadas.push(x.id!);
    const primera = creadas.map((n) => Date.parse(n.enviada)).sort((a, b) => a - b)[0];
    if (primera === undefined || Number.isNaN(primera)) {
      sinNotificacion.push(x.id!);
      porOrden.push(undefined);
      continue;
    }
    creadaDe.set(x.id!, primera);
    postNotificacion.push(primera - x.enviado);
    porOrden.push(primera - x.enviado);
    enviadas.push(primera);
  }
  const tercio = Math.floor(porOrden.length / 3);
  const definidos = (xs: (number | undefined)[]) => xs.filter((v): v is number => v !== undefined);

  const seguidas = envios.filter((x) => x.muestra === 'seguida');
  const dif = (xs: (number | undefined)[]) => resumir(definidos(xs));
  const ultimaNotificacion = enviadas.length ? enviadas.reduce((a, b) => Math.max(a, b)) : undefined;
  const primerEnvio = envios.length ? envios[0]!.enviado : e.carga.inicio;
  const sondeos = e.carga.sondeos();
  const completadas = terminadas(
    aceptados.map((x) => x.id!),
    e.notificaciones,
    e.escritos,
    e.vistas,
  ).length;

  return {
    nombre: e.nombre,
    tipo: e.tipo,
    plataforma: e.plataforma,
    tasaObjetivo: e.tasa,
    segundos: e.segundos,
    tasaLograda: r1(envios.length / ventana),
    enviados: envios.length,
    estados,
    aceptados: aceptados.length,
    aceptadosPorSegundo: r1(aceptados.length / ventana),
    retrasoGenerador: resumir(envios.map((x) => x.retraso)),
    latencias: {
      post202: resumir(aceptados.map((x) => x.msRespuesta!)),
      postNotificacion: resumir(postNotificacion),
      postEscrito: dif(seguidas.map((x) => x.escrito! - x.enviado)),
      postVista: dif(seguidas.map((x) => x.visible! - x.enviado)),
      respuestaAEscrito: dif(seguidas.map((x) => x.escrito! - (x.enviado + x.msRespuesta!))),
      escritoAVista: dif(seguidas.map((x) => x.visible! - x.escrito!)),
      escritoANotificacion: dif(seguidas.map((x) => (creadaDe.has(x.id!) ? creadaDe.get(x.id!)! - x.escrito! : undefined))),
    },
    muestra: {
      cada: e.muestraCada,
      seguidas: seguidas.length,
      omitidas: envios.filter((x) => x.muestra === 'omitida').length,
      sinEscrito: envios.filter((x) => x.muestra === 'sin-escrito').length,
      sinVista: envios.filter((x) => x.muestra === 'sin-visible').length,
      sondeosPorSegundo: r1((sondeos.escrito + sondeos.visible) / Math.max(0.001, (e.finSondeos - e.carga.inicio) / 1000)),
      sondeosEscrito: sondeos.escrito,
      sondeosVista: sondeos.visible,
    },
    extremoAExtremo: {
      notificadas: enviadas.length,
      porSegundo: ultimaNotificacion !== undefined ? r1(enviadas.length / Math.max(0.001, (ultimaNotificacion - primerEnvio) / 1000)) : 0,
      drenajeMs: ultimaNotificacion !== undefined ? ultimaNotificacion - e.carga.finEnvio : null,
    },
    tendencia: {
      p50PrimerTercio: tercio > 0 ? mediana(definidos(porOrden.slice(0, tercio))) : null,
      p50UltimoTercio: tercio > 0 ? mediana(definidos(porOrden.slice(-tercio))) : null,
    },
    perdidas: {
      sinNotificacion: sinNotificacion.length,
      sinReserva: aceptados.filter((x) => !e.escritos.has(x.id!)).length,
      sinVista: aceptados.filter((x) => !e.vistas.has(x.id!)).length,
      ejemplos: [...new Set([...sinNotificacion, ...aceptados.filter((x) => !e.escritos.has(x.id!) || !e.vistas.has(x.id!)).map((x) => x.id!)])].slice(0, 10),
    },
    duplicadas: { notificaciones: duplicadas.length, ejemplos: duplicadas.slice(0, 10) },
    rechazadas,
    drenaje: e.drenaje,
    mongo: e.mongo,
    uso: e.uso,
    saltos: e.saltos,
    completadas,
    cpuMsPorUnidad: cpuPorUnidad(e.uso, completadas),
    almacen: e.almacen,
  };
}

/** Where a latency at `tasa` is read: the fixed phase when it ran at that rate, else the step at it, else the fixed phase (at another rate). */
export function faseALaTasa(fases: Fase[], tasa: number): Fase | undefined {
  const fija = fases.find((f) => f.tipo === 'fija');
  return [fija, ...fases.filter((f) => f.tipo === 'escalon')].find((f) => f?.tasaObjetivo === tasa) ?? fija;
}

export function perdidasTotales(f: Fase): number {
  return Math.max(f.perdidas.sinNotificacion, f.perdidas.sinReserva, f.perdidas.sinVista);
}

/**
 * Sustained = the generator kept its schedule, the system accepted >= 95 % of the target rate,
 * nothing was lost or duplicated, p99 POST->notification stayed within the bound, and the backlog
 * did not grow (the last third's median latency is not `cotaCrecimientoMs` above the first's).
 */
export function juzgarEscalon(f: Fase, cotaP99Ms: number, cotaCrecimientoMs: number): { ok: boolean; motivos: string[] } {
  const motivos: string[] = [];
  if (f.tasaLograda < 0.95 * f.tasaObjetivo) motivos.push(`the load generator only sent ${f.tasaLograda}/s (client-bound on this machine)`);
  if (f.aceptadosPorSegundo < 0.95 * f.tasaObjetivo) motivos.push(`accepted ${f.aceptadosPorSegundo}/s < 95 % of ${f.tasaObjetivo}/s`);
  const perdidas = perdidasTotales(f);
  if (perdidas > 0) motivos.push(`${perdidas} accepted reservas lost after the drain`);
  if (f.duplicadas.notificaciones > 0) motivos.push(`${f.duplicadas.notificaciones} reservas notified more than once`);
  const p99 = f.latencias.postNotificacion.p99;
  if (p99 === null || p99 > cotaP99Ms) motivos.push(`p99 POST->notification ${p99 ?? 'n/a'} ms > ${cotaP99Ms} ms`);
  const { p50PrimerTercio: a, p50UltimoTercio: b } = f.tendencia;
  if (a !== null && b !== null && b - a > cotaCrecimientoMs) motivos.push(`backlog growing: median latency ${a} ms in the first third, ${b} ms in the last`);
  return { ok: motivos.length === 0, motivos };
}
