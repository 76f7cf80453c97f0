/**
 * Scale-out on one machine (tests/support/global-setup-replicas.ts): two replicas of every service,
 * each with its own daprd, all against one Pulsar and one database. The work of a shared
 * subscription spreads over aeroalpes' replicas, every reserva is made exactly once, each ui
 * replica pushes every event to its own browsers, and a replica killed mid-stream loses nothing.
 */
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import WebSocket from 'ws';
import { crearEventoReserva, TOPICO_EVENTOS_RESERVA } from '@aeroalpes/contratos';
import { cadaAceptadaUnaVez, iniciarFlujo, RESERVA } from '../support/carga';
import { eventually, guardDatabase, proceso, sidecarFetch, stackInfo, url } from '../support/stack';
import { raspar } from '../../bench/src/metricas-dapr';

let mongo: MongoClient;
beforeAll(async () => {
  mongo = await MongoClient.connect(stackInfo().mongoUri);
  expect(stackInfo().replicas).toEqual({ aeroalpes: 2, notificaciones: 2, ui: 2 });
});
afterAll(async () => {
  await mongo.close();
});
const db = () => mongo.db(guardDatabase(stackInfo().mongoDb));

/** Commands of comandos-reserva that replica k's sidecar delivered to its app and the app handled (daprd's own counter). */
async function comandosAtendidos(k: number): Promise<number> {
  const metricas = await raspar(`http://127.0.0.1:${stackInfo().ports.services.aeroalpes[k - 1]!.metrics}/metrics`);
  let total = 0;
  for (const [serie, valor] of metricas) {
    if (serie.startsWith('dapr_component_pubsub_ingress_count{') && serie.includes('topic="comandos-reserva"') && serie.includes('process_status="success"')) total += valor;
  }
  return total;
}

/** A websocket client of ui replica k: every ReservaCreada it is pushed, by reserva id. */
async function navegador(k: number): Promise<{ creadas: Set<string>; cerrar: () => void }> {
  const base = url('ui', 'http', k);
  const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`, { origin: base });
  const creadas = new Set<string>();
  ws.on('message', (datos) => {
    const m = JSON.parse(String(datos)) as { tipo: string; evento?: { tipo: string; id_reserva: string } };
    if (m.tipo === 'evento' && m.evento?.tipo === 'ReservaCreada') creadas.add(m.evento.id_reserva);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { creadas, cerrar: () => ws.close() };
}

describe('two replicas of every service', () => {
  test('500 creates over both aeroalpes replicas: both handle a real share, each reserva once, and both ui replicas push every event', async () => {
    const navegadores = [await navegador(1), await navegador(2)];
    const antes = [await comandosAtendidos(1), await comandosAtendidos(2)];
    const flujo = iniciarFlujo({ replicas: [1, 2], concurrencia: 4, pausaMs: 0, maximo: 500 });
    await flujo.terminado;
    expect(flujo.aceptadas).toHaveLength(500);
    expect(flujo.porReplica).toEqual([250, 250]);
    await cadaAceptadaUnaVez(db(), flujo.aceptadas, '500 creates over two replicas');

    // Pulsar spreads the shared subscription's commands over both sidecars: each replica made a real share.
    const atendidos = [(await comandosAtendidos(1)) - antes[0]!, (await comandosAtendidos(2)) - antes[1]!];
    process.stdout.write(`[replicas] comandos-reserva handled per aeroalpes replica: ${atendidos.join(' + ')}\n`);
    expect(atendidos[0]! + atendidos[1]!).toBeGreaterThanOrEqual(500);
    for (const n of atendidos) expect(n).toBeGreaterThanOrEqual(50);

    // Each ui replica has its own subscription: each browser saw every reserva created.
    for (const [i, n] of navegadores.entries()) {
      await eventually(`ui replica ${i + 1} to push all 500 ReservaCreada`, async () => (flujo.aceptadas.every((id) => n.creadas.has(id)) ? true : undefined), 60_000, 500);
    }
    for (const n of navegadores) n.cerrar();
  }, 600_000);

  test('kill -9 one aeroalpes replica mid-stream: nothing lost, nothing doubled', async () => {
    const flujo = iniciarFlujo({ replicas: [1, 2], concurrencia: 2, pausaMs: 20 });
    await new Promise((r) => setTimeout(r, 2000));
    const victima = await proceso('aeroalpes-2');
    process.kill(victima.pid, 'SIGKILL');
    await eventually(
      'the launcher to bring aeroalpes-2 back',
      async () => {
        const p = await proceso('aeroalpes-2');
        return p.vivo && p.pid !== victima.pid ? true : undefined;
      },
      120_000,
      250,
    );
    await eventually('aeroalpes-2 ready', async () => ((await fetch(`${url('aeroalpes', 'http', 2)}/health/ready`)).status === 200 ? true : undefined), 60_000, 250);
    await new Promise((r) => setTimeout(r, 2000));
    await flujo.detener();
    expect(flujo.porReplica[0]).toBeGreaterThan(20);
    expect(flujo.porReplica[1]).toBeGreaterThan(0);
    // Refused only while replica 2 was down (no answer) or as unavailable.
    expect([...flujo.rechazos.keys()].filter((s) => s !== 0 && s !== 503)).toEqual([]);
    await cadaAceptadaUnaVez(db(), flujo.aceptadas, 'aeroalpes-2 killed mid-stream');
  }, 600_000);

  test('the same event delivered to both notificaciones replicas is notified once (dedup lives in the shared state store)', async () => {
    const id = randomUUID();
    const idMensaje = randomUUID();
    const evento = crearEventoReserva('ReservaCreada', { id_reserva: id, id_cliente: '', estado: 'Pendiente', fecha_creacion: Date.now() }, { id_mensaje: idMensaje });
    // Eight copies: the shared subscription hands them to both replicas.
    for (let i = 0; i < 8; i++) {
      const res = await sidecarFetch('aeroalpes', `/v1.0/publish/pubsub/${TOPICO_EVENTOS_RESERVA}?metadata.cloudevent.id=${idMensaje}&metadata.cloudevent.type=ReservaCreada`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(evento),
      });
      expect(res.status).toBe(204);
    }
    for (const k of [1, 2]) {
      await eventually(
        `notificaciones replica ${k} to show the notification`,
        async () => {
          const res = await fetch(`${url('notificaciones', 'http', k)}/notificaciones?id_reserva=${id}`);
          const { notificaciones } = (await res.json()) as { notificaciones: unknown[] };
          return notificaciones.length > 0 ? notificaciones : undefined;
        },
        30_000,
      );
    }
    await new Promise((r) => setTimeout(r, 2000));
    for (const k of [1, 2]) {
      const res = await fetch(`${url('notificaciones', 'http', k)}/notificaciones?id_reserva=${id}`);
      expect(((await res.json()) as { notificaciones: unknown[] }).notificaciones).toHaveLength(1);
    }
  }, 120_000);

  test('the lifecycle through both replicas: the read model ends where the write model is (older versions refused)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${url('aeroalpes', 'http', (i % 2) + 1)}/vuelos/reserva`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(RESERVA),
      });
      expect(res.status).toBe(200);
      ids.push(((await res.json()) as { id: string }).id);
    }
    // Aprobar then pagar, each through the other replica than the one before: the events of one
    // reserva reach the projection through both replicas' subscriptions, in any order.
    for (const [paso, accion] of ['aprobar', 'pagar'].entries()) {
      await Promise.all(
        ids.map(async (id, i) => {
          const res = await fetch(`${url('aeroalpes', 'http', ((i + paso) % 2) + 1)}/vuelos/reserva/${id}/${accion}`, { method: 'POST' });
          expect(res.status).toBe(200);
        }),
      );
    }
    await eventually(
      'the read model to hold every reserva as Pagada at version 3',
      async () => {
        const vista = await db()
          .collection('reservas_vista')
          .find({ _id: { $in: ids as never[] } })
          .toArray();
        return vista.length === ids.length && vista.every((d) => d.estado === 'Pagada' && d.version === 3) ? true : undefined;
      },
      60_000,
      500,
    );
  }, 120_000);
});
