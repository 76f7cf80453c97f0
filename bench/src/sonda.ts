/**
 * The store's per-operation latency, at a platform's start (before any load) and at its end: a few
 * hundred sequential operations by _id through the MongoDB driver, timed one by one. At the start
 * the probe inserts its own documents (shaped like a reserva's read model) into `sonda_latencia`,
 * untimed; both probes then time findOne and updateOne on them and insertOne/deleteOne pairs, and
 * the end probe also findOne of random stored reservas in the write and read models. The same
 * operations on the same collection at both ends show how the store itself changed under the
 * run's data and load. Each kind stops early after `presupuestoMs`, so a slow store keeps it short.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Db } from 'mongodb';
import type { Documento, FabricaDocumentos } from './documentos';
import { Resumen, resumir } from './estadistica';

export const COLECCION_SONDA = 'sonda_latencia';

/**
 * A read-model document; the probe's updateOne raises its `version`, as every write of the service
 * does (the local store refuses another change at the same version: tools/platform/src/postgres.ts).
 */
type DocumentoSonda = { _id: string; version: number };

export interface MedidaSonda {
  operacion: string;
  latencia: Resumen;
}

export interface Sonda {
  /** 'start' or 'end'. */
  momento: string;
  /** Documents in the write model when it ran. */
  reservas: number;
  segundos: number;
  operaciones: MedidaSonda[];
}

export interface OpcionesSonda {
  db: Db;
  momento: string;
  /** The probe's own documents (from `prepararSonda`). */
  idsSonda: string[];
  /** Stored reservas to look up (empty at the start); each is in both models. */
  idsReservas: string[];
  /** Documents in the write model now (reported with the figures). */
  reservas: number;
  colecciones: { reservas: string; vista: string };
  /** Operations of each kind. */
  n: number;
  presupuestoMs: number;
  fabrica: FabricaDocumentos;
}

/** Inserts the probe's documents (not timed) and returns their ids. */
export async function prepararSonda(db: Db, fabrica: FabricaDocumentos, n: number): Promise<string[]> {
  const docs = await documentosSonda(fabrica, n);
  await db.collection<DocumentoSonda>(COLECCION_SONDA).deleteMany({});
  await db.collection<DocumentoSonda>(COLECCION_SONDA).insertMany(docs);
  return docs.map((d) => d._id);
}

async function documentosSonda(fabrica: FabricaDocumentos, n: number): Promise<DocumentoSonda[]> {
  return (await fabrica.crear(Array.from({ length: n }, () => randomUUID()))).map((d) => ({ ...d.vista, version: Number(d.vista.version) }));
}

const alAzar = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

export async function sondear(o: OpcionesSonda): Promise<Sonda> {
  const t0 = Date.now();
  const sonda = o.db.collection<DocumentoSonda>(COLECCION_SONDA);
  const medidas: MedidaSonda[] = [];
  const medir = async (operacion: string, fn: (i: number) => Promise<unknown>, n = o.n): Promise<void> => {
    const ms: number[] = [];
    const limite = performance.now() + o.presupuestoMs;
    for (let i = 0; i < n && performance.now() < limite; i++) {
      const t = performance.now();
      await fn(i);
      ms.push(performance.now() - t);
    }
    medidas.push({ operacion, latencia: resumir(ms) });
  };
  if (o.idsReservas.length) {
    const reservas = o.db.collection<Documento>(o.colecciones.reservas);
    const vista = o.db.collection<Documento>(o.colecciones.vista);
    await medir(`findOne ${o.colecciones.reservas} by _id (random stored reserva)`, () => reservas.findOne({ _id: alAzar(o.idsReservas) }));
    await medir(`findOne ${o.colecciones.vista} by _id (random stored reserva)`, () => vista.findOne({ _id: alAzar(o.idsReservas) }));
  }
  if (o.idsSonda.length) {
    await medir(`findOne ${COLECCION_SONDA} by _id`, () => sonda.findOne({ _id: alAzar(o.idsSonda) }));
    await medir(`updateOne ${COLECCION_SONDA} by _id ($inc)`, () => sonda.updateOne({ _id: alAzar(o.idsSonda) }, { $inc: { version: 1 } }));
  }
  // insertOne then deleteOne of the same new document, each timed on its own.
  const nuevos = await documentosSonda(o.fabrica, o.n);
  let insertados = 0;
  await medir(`insertOne ${COLECCION_SONDA}`, async (i) => {
    await sonda.insertOne(nuevos[i]!);
    insertados = i + 1;
  });
  await medir(`deleteOne ${COLECCION_SONDA} by _id`, (i) => sonda.deleteOne({ _id: nuevos[i]!._id }), insertados);
  return { momento: o.momento, reservas: o.reservas, segundos: Math.round((Date.now() - t0) / 100) / 10, operaciones: medidas };
}

export interface ComparacionSonda {
  operacion: string;
  inicio: Resumen | null;
  fin: Resumen | null;
  /** End over start (null when either is missing). */
  razonP50: number | null;
  razonP99: number | null;
}

const razon = (a: number | null | undefined, b: number | null | undefined) => (a != null && b != null && b > 0 ? Math.round((a / b) * 100) / 100 : null);

/** Every operation of either probe, in the order measured, with end/start ratios. */
export function comparar(inicio: Sonda | undefined, fin: Sonda | undefined): ComparacionSonda[] {
  const operaciones = [...new Set([...(fin?.operaciones ?? []), ...(inicio?.operaciones ?? [])].map((m) => m.operacion))];
  return operaciones.map((operacion) => {
    const a = inicio?.operaciones.find((m) => m.operacion === operacion)?.latencia ?? null;
    const b = fin?.operaciones.find((m) => m.operacion === operacion)?.latencia ?? null;
    return { operacion, inicio: a, fin: b, razonP50: razon(b?.p50, a?.p50), razonP99: razon(b?.p99, a?.p99) };
  });
}
