/**
 * The query phase: GET /vuelos/reserva-query/{id} (the read model, through the aeroalpes REST port)
 * open-loop at a fixed rate, with many reservas stored. The reservas are bulk-loaded first, straight
 * into the write and read models through the MongoDB driver (insertMany in batches), built by the
 * service's own code (documentos.ts), until the read model holds the wanted number; the GETs then
 * ask for random stored ids. Like the creates, request i goes at start + i/rate whatever the
 * earlier ones are doing, and records how late the generator sent it.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Db } from 'mongodb';
import { agenteCarga, peticion, porTurno, programar } from './carga';
import type { Documento, FabricaDocumentos } from './documentos';
import { Resumen, resumir } from './estadistica';

export interface CargaMasiva {
  objetivo: number;
  /** In the read model before the load. */
  antes: number;
  cargadas: number;
  segundos: number;
  porSegundo: number;
  /** Every id stored in the read model (those there before and those loaded). */
  ids: string[];
  /** Only the loaded ones (they were never accepted through the API). */
  cargadasIds: string[];
}

/** Loads reservas until the read model holds `objetivo`; each goes into both models. */
export async function cargarReservas(
  db: Db,
  colecciones: { reservas: string; vista: string },
  fabrica: FabricaDocumentos,
  objetivo: number,
  lote: number,
  abortar: AbortSignal,
  progreso: (linea: string) => void,
): Promise<CargaMasiva> {
  const escritura = db.collection<Documento>(colecciones.reservas);
  const vista = db.collection<Documento>(colecciones.vista);
  const existentes = (await vista.find({}, { projection: { _id: 1 } }).toArray()).map((d) => d._id);
  const faltan = Math.max(0, objetivo - existentes.length);
  const cargadasIds: string[] = [];
  const t0 = Date.now();
  let aviso = t0;
  while (cargadasIds.length < faltan && !abortar.aborted) {
    const docs = await fabrica.crear(Array.from({ length: Math.min(lote, faltan - cargadasIds.length) }, () => randomUUID()));
    await escritura.insertMany(docs.map((d) => d.escritura));
    await vista.insertMany(docs.map((d) => d.vista));
    cargadasIds.push(...docs.map((d) => d.escritura._id));
    if (Date.now() - aviso >= 10_000) {
      aviso = Date.now();
      progreso(`${existentes.length + cargadasIds.length} of ${objetivo} stored (${Math.round(cargadasIds.length / ((aviso - t0) / 1000))} reservas/s)`);
    }
  }
  const segundos = (Date.now() - t0) / 1000;
  return {
    objetivo,
    antes: existentes.length,
    cargadas: cargadasIds.length,
    segundos: Math.round(segundos * 10) / 10,
    porSegundo: segundos > 0 ? Math.round(cargadasIds.length / segundos) : 0,
    ids: [...existentes, ...cargadasIds],
    cargadasIds,
  };
}

export interface EnvioConsulta {
  /** How late the generator sent it versus its schedule (ms). */
  retraso: number;
  /** HTTP status, '200-other-body' (a 200 that is not this reserva), 'timeout' or 'error:<code>'. */
  estado: string;
  /** GET -> whole response (ms). */
  ms: number | null;
}

export interface ResultadoConsultas {
  envios: EnvioConsulta[];
  inicio: number;
  finEnvio: number;
  finRespuestas: number;
}

/** GETs round-robin over `bases` (the REST port of every aeroalpes replica). */
export async function consultar(o: { bases: string[]; ids: string[]; tasa: number; segundos: number; timeoutMs: number; abortar: AbortSignal }): Promise<ResultadoConsultas> {
  const envios: EnvioConsulta[] = [];
  const pendientes: Promise<void>[] = [];
  const inicio = Date.now();
  await programar(performance.now(), o.tasa, Math.round(o.tasa * o.segundos), o.abortar, (i, programado) => {
    const id = o.ids[Math.floor(Math.random() * o.ids.length)]!;
    const e: EnvioConsulta = { retraso: performance.now() - programado, estado: 'pendiente', ms: null };
    envios.push(e);
    const t = performance.now();
    pendientes.push(
      peticion(`${porTurno(o.bases, i)}/vuelos/reserva-query/${id}`, { timeoutMs: o.timeoutMs, agente: agenteCarga }).then(
        (r) => {
          e.ms = performance.now() - t;
          e.estado = r.status === 200 && !r.cuerpo.includes(id) ? '200-other-body' : String(r.status);
        },
        (err: NodeJS.ErrnoException) => {
          e.ms = performance.now() - t;
          e.estado = err.code === 'TIMEOUT' ? 'timeout' : `error:${err.code ?? err.message}`;
        },
      ),
    );
  });
  const finEnvio = Date.now();
  await Promise.all(pendientes);
  return { envios, inicio, finEnvio, finRespuestas: Date.now() };
}

export interface FigurasConsultas {
  tasaObjetivo: number;
  segundos: number;
  tasaLograda: number;
  enviados: number;
  estados: Record<string, number>;
  /** Answered 200 with the reserva asked for. */
  respondidas: number;
  errores: number;
  /** GET -> response of the 200s (ms). */
  latencia: Resumen;
  /** Of every request, errors included. */
  latenciaTodas: Resumen;
  retrasoGenerador: Resumen;
}

const r1 = (x: number) => Math.round(x * 10) / 10;

export function analizarConsultas(r: ResultadoConsultas, tasa: number, segundos: number): FigurasConsultas {
  const ventana = Math.max(0.001, (r.finEnvio - r.inicio) / 1000 + 1 / tasa);
  const estados: Record<string, number> = {};
  for (const e of r.envios) estados[e.estado] = (estados[e.estado] ?? 0) + 1;
  const ok = r.envios.filter((e) => e.estado === '200');
  return {
    tasaObjetivo: tasa,
    segundos,
    tasaLograda: r1(r.envios.length / ventana),
    enviados: r.envios.length,
    estados,
    respondidas: ok.length,
    errores: r.envios.length - ok.length,
    latencia: resumir(ok.map((e) => e.ms!)),
    latenciaTodas: resumir(r.envios.map((e) => e.ms!)),
    retrasoGenerador: resumir(r.envios.map((e) => e.retraso)),
  };
}
