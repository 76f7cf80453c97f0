/**
 * The fault suite, on its own real platform (tests/support/global-setup-faults.ts): under a stream
 * of asynchronous creates, one piece of the platform is killed with SIGKILL from outside, as a crash
 * would, and the launcher's supervisor brings it back by itself (the test never restarts anything).
 * Each case ends with every accepted command as exactly one reserva (write and read model) and one
 * ReservaCreada notification. Then a request flood the validation must shrug off.
 */
import fs from 'node:fs';
import { MongoClient } from 'mongodb';
import { cadaAceptadaUnaVez, iniciarFlujo, RESERVA } from '../support/carga';
import { eventually, guardDatabase, proceso, stackInfo, url } from '../support/stack';
import { CORPUS_HOSTIL, peticionDeCaso } from '../../services/aeroalpes/src/api/corpus-hostil';

let mongo: MongoClient;
beforeAll(async () => {
  mongo = await MongoClient.connect(stackInfo().mongoUri, { serverSelectionTimeoutMS: 60_000 });
});
afterAll(async () => {
  await mongo.close();
});
const db = () => mongo.db(guardDatabase(stackInfo().mongoDb));
const pausa = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every service answers /health/ready (its dependencies and its sidecar are up). */
async function todoListo(): Promise<void> {
  for (const servicio of ['aeroalpes', 'notificaciones', 'ui'] as const) {
    await eventually(
      `${servicio} ready`,
      async () => ((await fetch(`${url(servicio)}/health/ready`, { signal: AbortSignal.timeout(2000) })).status === 200 ? true : undefined),
      120_000,
      250,
    );
  }
}

/** SIGKILL from outside, then wait until the supervisor has started a new instance and it is up. */
async function matar(nombre: string): Promise<{ antes: number; despues: number }> {
  const antes = await proceso(nombre);
  expect(antes.vivo).toBe(true);
  process.kill(antes.pid, 'SIGKILL');
  const despues = await eventually(
    `the launcher to bring ${nombre} back`,
    async () => {
      const p = await proceso(nombre);
      return p.vivo && p.pid !== antes.pid && p.reinicios > antes.reinicios ? p : undefined;
    },
    180_000,
    250,
  );
  return { antes: antes.pid, despues: despues.pid };
}

describe.each([
  // The database: FerretDB (the MongoDB wire protocol) and the PostgreSQL under it and the state stores.
  ['ferretdb'],
  ['postgres'],
  // The service itself, and its sidecar (publish, subscriptions, invocation).
  ['aeroalpes'],
  ['aeroalpes-daprd'],
  // The broker, crashed (Pulsar stopped cleanly for 10 s is in tests/flujo).
  ['pulsar'],
])('kill -9 %s under a stream of commands', (nombre) => {
  test('the launcher brings it back; every accepted command is one reserva and one ReservaCreada notification', async () => {
    await todoListo();
    const flujo = iniciarFlujo({ pausaMs: 40 });
    await pausa(2000);
    const { antes, despues } = await matar(nombre);
    await todoListo();
    await pausa(2000);
    await flujo.detener();
    expect(despues).not.toBe(antes);
    expect(flujo.aceptadas.length).toBeGreaterThan(20);
    // What was not accepted was refused as unavailable (503) or not answered while aeroalpes was
    // down: never a 500, never a 4xx for a valid request.
    expect([...flujo.rechazos.keys()].filter((s) => s !== 503 && s !== 0)).toEqual([]);
    await cadaAceptadaUnaVez(db(), flujo.aceptadas, `after kill -9 ${nombre}`);
  }, 600_000);
});

describe('eight concurrent bodies that are legal JSON under the size limit but break the rules', () => {
  /** Resident memory of a process (kB) from /proc: now, and the peak since the last reset. */
  const memoria = (pid: number) => {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (campo: string) => Number(new RegExp(`^${campo}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    return { rssKb: kb('VmRSS'), picoKb: kb('VmHWM') };
  };

  test.each(['87000 legs vacíos (255 kB)', '20000 legs vacíos dentro de los máximos de cada lista', '5000 itinerarios vacíos'])(
    '%s: 400 each, the service keeps answering, its peak RSS grows by less than 50 MB',
    async (nombreCaso) => {
      await todoListo();
      const caso = CORPUS_HOSTIL.find((c) => c.nombre === nombreCaso)!;
      expect(caso).toBeDefined();
      const { pid } = await proceso('aeroalpes');
      // For the note (a figure, not an assertion): eight concurrent valid creates, the yardstick.
      const validas = performance.now();
      const creadas = await Promise.all(
        Array.from({ length: 8 }, () =>
          fetch(`${url('aeroalpes')}/vuelos/reserva`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(RESERVA) }).then((r) => r.status),
        ),
      );
      const msValidas = performance.now() - validas;
      expect(creadas).toEqual(Array(8).fill(200));
      // Collect first, so the baseline is not garbage waiting for a collection; then reset the peak.
      await fetch(`${url('aeroalpes')}/health/live`);
      const base = memoria(pid);
      fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
      const hostiles = performance.now();
      const peticiones = Array.from({ length: 8 }, () =>
        fetch(`${url('aeroalpes')}/vuelos/reserva`, { method: 'POST', ...peticionDeCaso(caso), signal: AbortSignal.timeout(30_000) }).then(async (r) => ({
          status: r.status,
          cuerpo: (await r.json()) as { error: string; errores?: { campo: string; regla: string }[] },
        })),
      );
      // Meanwhile the service answers its liveness probe (a blocked event loop would not).
      const vivo = await fetch(`${url('aeroalpes')}/health/live`, { signal: AbortSignal.timeout(10_000) });
      const respuestas = await Promise.all(peticiones);
      const msHostiles = performance.now() - hostiles;
      expect(vivo.status).toBe(200);
      for (const r of respuestas) {
        expect({ status: r.status, error: r.cuerpo.error }).toEqual({ status: caso.esperado.estado, error: caso.esperado.error });
        expect(r.cuerpo.errores).toContainEqual(expect.objectContaining({ campo: caso.esperado.campo, regla: caso.esperado.regla }));
      }
      const despues = memoria(pid);
      const crecimientoMb = (despues.picoKb - base.rssKb) / 1024;
      process.stdout.write(
        `[hostil] 8 concurrent valid creates: ${msValidas.toFixed(0)} ms; 8 concurrent '${nombreCaso}': ${msHostiles.toFixed(0)} ms; aeroalpes RSS ${(base.rssKb / 1024).toFixed(0)} MB, peak growth ${crecimientoMb.toFixed(1)} MB\n`,
      );
      expect(crecimientoMb).toBeLessThan(50);
      // Still working: a valid create goes through.
      const valida = await fetch(`${url('aeroalpes')}/vuelos/reserva-comando`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(RESERVA),
      });
      expect(valida.status).toBe(202);
    },
    120_000,
  );
});
