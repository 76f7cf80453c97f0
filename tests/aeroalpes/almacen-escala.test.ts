/**
 * The store under the hot path stays flat as reservas accumulate: FerretDB on PostgreSQL with the
 * expression indexes tools/platform adds (postgres.ts). Two kinds of evidence:
 * - the plans: every look-up the hot path makes (by _id, by {_id, version}, the relay's pending
 *   flag) is an index scan, asked through the MongoDB protocol (FerretDB's explain returns
 *   PostgreSQL's plan), at 100,000 reservas;
 * - the latencies: the medians of the application's own hot-path operations at 1,000 and at
 *   100,000 stored reservas are within a small factor of each other (a sequential scan makes them
 *   grow a hundredfold over that range). A scaling check, not a speed target: the absolute figures
 *   are the benchmark's (npm run bench).
 */
import { randomUUID } from 'node:crypto';
import { Db, MongoClient } from 'mongodb';
import { guardDatabase, stackInfo } from '../support/stack';
import { RepositorioReservasMongo } from '../../services/aeroalpes/src/modulos/vuelos/infraestructura/repositorio-mongo';
import { VistaReservasMongo } from '../../services/aeroalpes/src/modulos/vuelos/infraestructura/vista-mongo';
import { MapeadorSolicitudReserva, reservaADto } from '../../services/aeroalpes/src/modulos/vuelos/aplicacion/mapeadores';
import { copiaSolicitud, SOLICITUD_MINIMA } from '../../services/aeroalpes/src/modulos/vuelos/aplicacion/ejemplos';
import { Reserva } from '../../services/aeroalpes/src/modulos/vuelos/dominio/reserva';
import { MensajeIntegracion } from '../../services/aeroalpes/src/seedwork/infraestructura/mensajes';

const BASE = guardDatabase('aeroalpes_escala_test');
const TOTAL = Number(process.env.ESCALA_RESERVAS ?? 100_000);
const MUESTRAS = 60;
/** The median at 100,000 may be at most this many times the median at 1,000. */
const FACTOR_MAXIMO = 3;

let cliente: MongoClient;
let db: Db;
let reservas: RepositorioReservasMongo;
let vista: VistaReservasMongo;
const sufijo = randomUUID().slice(0, 8);
const coleccion = `reservas_${sufijo}`;
const coleccionVista = `reservas_vista_${sufijo}`;

beforeAll(async () => {
  cliente = new MongoClient(stackInfo().mongoUri, { serverSelectionTimeoutMS: 10_000 });
  await cliente.connect();
  db = cliente.db(BASE);
  await db.dropDatabase();
  reservas = RepositorioReservasMongo.enBase(db, coleccion);
  vista = VistaReservasMongo.enBase(db, coleccionVista);
  await reservas.asegurarIndices();
  await vista.asegurarIndices();
});

afterAll(async () => {
  await db?.dropDatabase();
  await cliente?.close();
});

const nueva = (): Reserva => new MapeadorSolicitudReserva({ id: randomUUID(), ahora: new Date('2024-01-02T03:04:05Z') }).externoAEntidad(copiaSolicitud(SOLICITUD_MINIMA));

const mensaje = (r: Reserva, version: number): MensajeIntegracion => ({
  id: randomUUID(),
  topic: 'eventos-reserva',
  type: version === 1 ? 'ReservaCreada' : 'ReservaAprobada',
  time: Date.now(),
  correlationId: 'escala',
  aggregateId: r.id,
  aggregateVersion: version,
  payload: { id_reserva: r.id },
});

/** Stores `hasta - stored` more reservas (write model and read model), as the service writes them, in bulk. */
async function llenarHasta(hasta: number, ids: string[]): Promise<void> {
  while (ids.length < hasta) {
    const lote = Array.from({ length: Math.min(1000, hasta - ids.length) }, nueva);
    await db.collection(coleccion).insertMany(
      lote.map((r) => {
        const { _id, ...doc } = reservas.aDocumento(r);
        return { _id: _id as never, ...doc, version: 1, outbox: [], outbox_pendiente: false };
      }),
      { ordered: false },
    );
    await db.collection(coleccionVista).insertMany(
      lote.map((r) => ({ _id: r.id as never, ...reservaADto(r), version: 1 })),
      { ordered: false },
    );
    ids.push(...lote.map((r) => r.id));
  }
}

const mediana = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median ms of each hot-path operation, sequential, on random stored reservas. */
async function medir(ids: string[]): Promise<Record<string, number>> {
  const tiempos: Record<string, number[]> = { crear: [], leer: [], actualizar: [], marcar: [], vista: [] };
  const cronometro = async (que: string, f: () => Promise<unknown>) => {
    const t0 = process.hrtime.bigint();
    await f();
    tiempos[que]!.push(Number(process.hrtime.bigint() - t0) / 1e6);
  };
  for (let i = 0; i < MUESTRAS; i++) {
    const r = nueva();
    const m = mensaje(r, 1);
    await cronometro('crear', () => reservas.guardar({ documento: reservas.aDocumento(r), versionEsperada: 0, versionNueva: 1, mensajes: [m] }));
    await cronometro('marcar', () => reservas.marcarEnviados(r.id, [m], { outboxCompletoEnVersion: 1 }));
    const id = ids[Math.floor(Math.random() * ids.length)]!;
    await cronometro('leer', () => reservas.obtenerPorId(id));
    const existente = (await reservas.obtenerPorId(id))!;
    await cronometro('actualizar', () =>
      reservas.guardar({
        documento: { ...reservas.aDocumento(existente), estado: 'Aprobada' },
        versionEsperada: existente.version,
        versionNueva: existente.version + 1,
        mensajes: [],
      }),
    );
    await cronometro('vista', () => vista.guardarSiMasNueva({ ...reservaADto(existente), estado: 'Aprobada', version: existente.version + 1 }));
    ids.push(r.id);
  }
  return Object.fromEntries(Object.entries(tiempos).map(([k, v]) => [k, mediana(v)]));
}

async function plan(coleccionDe: string, filter: Record<string, unknown>): Promise<string> {
  const r = await db.command({ explain: { find: coleccionDe, filter }, verbosity: 'queryPlanner' });
  return JSON.stringify(r.queryPlanner);
}

describe(`the store from 1,000 to ${TOTAL.toLocaleString('en')} reservas`, () => {
  const ids: string[] = [];
  let a1000: Record<string, number>;

  test('at 1,000 reservas: the hot path, measured', async () => {
    await llenarHasta(1000, ids);
    await medir(ids.slice()); // warm-up: connections, plans, caches
    a1000 = await medir(ids);
    process.stdout.write(`[escala] medians at 1,000 (ms): ${JSON.stringify(a1000)}\n`);
  }, 120_000);

  test(`at ${TOTAL.toLocaleString('en')} reservas: every hot-path look-up is an index scan`, async () => {
    await llenarHasta(TOTAL, ids);
    const id = ids[Math.floor(ids.length / 2)]!;
    for (const [c, filtro, indice] of [
      [coleccion, { _id: id }, '_id_gin'],
      [coleccion, { _id: id, version: 1 }, '_id_gin'],
      [coleccion, { outbox_pendiente: true }, '_outboxpendiente_gin'],
      [coleccionVista, { _id: id }, '_id_gin'],
    ] as const) {
      const p = await plan(c, filtro);
      expect({ filtro, indexScan: /"Bitmap Index Scan"|"Index Scan"/.test(p), index: new RegExp(`${indice}"`).test(p), seqScan: /"Seq Scan"/.test(p) }).toEqual({
        filtro,
        indexScan: true,
        index: true,
        seqScan: false,
      });
    }
  }, 600_000);

  test(`at ${TOTAL.toLocaleString('en')} reservas: each hot-path operation within ${FACTOR_MAXIMO}x of its median at 1,000`, async () => {
    await medir(ids.slice(0, 1000)); // warm-up after the bulk load
    const grande = await medir(ids);
    process.stdout.write(`[escala] medians at ${TOTAL} (ms): ${JSON.stringify(grande)}\n`);
    for (const op of Object.keys(a1000)) {
      // A floor of 1 ms: below it the ratio is noise of the timer and the scheduler, not of the data.
      const factor = grande[op]! / Math.max(a1000[op]!, 1);
      expect({ op, factor, dentro: factor < FACTOR_MAXIMO }).toEqual({ op, factor, dentro: true });
    }
  }, 120_000);
});
