/**
 * A stream of asynchronous creates (POST /vuelos/reserva-comando) for the tests that break things
 * under load, and the check that every accepted command had exactly one effect: one reserva in the
 * write model, one in the read model, one ReservaCreada notification.
 */
import type { Db } from 'mongodb';
import { eventually, url } from './stack';

import RESERVA from '../../examples/reserva.json';

export interface Flujo {
  /** Ids of the reservas whose command was accepted (202), in order. */
  readonly aceptadas: string[];
  /** Answers other than 202, by status (0: no answer: connection refused, reset or timed out). */
  readonly rechazos: Map<number, number>;
  /** Accepted per aeroalpes replica (1-based index into `replicas`). */
  readonly porReplica: number[];
  /** Stops sending and waits for the requests in flight. */
  detener(): Promise<void>;
}

export interface OpcionesFlujo {
  /** aeroalpes replicas to send to, in turn (default: the first). */
  replicas?: number[];
  /** Pause between two requests of one sender. */
  pausaMs?: number;
  /** Requests in flight at once (senders). */
  concurrencia?: number;
  /** Stop after this many accepted commands (default: until detener()). */
  maximo?: number;
}

/** Starts sending commands at once; each request times out after 5 s (a process may be down). */
export function iniciarFlujo({ replicas = [1], pausaMs = 40, concurrencia = 1, maximo = Infinity }: OpcionesFlujo = {}): Flujo & { terminado: Promise<void> } {
  const aceptadas: string[] = [];
  const rechazos = new Map<number, number>();
  const porReplica = replicas.map(() => 0);
  let seguir = true;
  let turno = 0;
  // Accepted plus in flight: with several senders, `maximo` is never overshot.
  let reservados = 0;
  const emisor = async () => {
    while (seguir && reservados < maximo) {
      reservados++;
      const i = turno++ % replicas.length;
      const status = await fetch(`${url('aeroalpes', 'http', replicas[i])}/vuelos/reserva-comando`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(RESERVA),
        signal: AbortSignal.timeout(5000),
      }).then(
        async (res) => {
          const cuerpo = (await res.json().catch(() => undefined)) as { id?: string } | undefined;
          if (res.status === 202 && cuerpo?.id) {
            aceptadas.push(cuerpo.id);
            porReplica[i]!++;
          }
          return res.status;
        },
        () => 0,
      );
      if (status !== 202) {
        rechazos.set(status, (rechazos.get(status) ?? 0) + 1);
        reservados--;
      }
      await new Promise((r) => setTimeout(r, pausaMs));
    }
  };
  const terminado = Promise.all(Array.from({ length: concurrencia }, emisor)).then(() => undefined);
  return {
    aceptadas,
    rechazos,
    porReplica,
    terminado,
    detener: async () => {
      seguir = false;
      await terminado;
    },
  };
}

interface Notificacion {
  tipo: string;
}

/**
 * Waits until every accepted command is one reserva in the write model and one in the read model
 * (`_id` is unique, so a count equal to the ids is exactly once each), then checks each has exactly
 * one ReservaCreada notification (notificaciones dedups by message id; a second one would be a
 * second event for the same reserva, i.e. a command applied twice).
 */
export async function cadaAceptadaUnaVez(db: Db, aceptadas: readonly string[], que: string, timeoutMs = 180_000): Promise<void> {
  const ids = [...aceptadas];
  expect(new Set(ids).size).toBe(ids.length);
  for (const coleccion of ['reservas', 'reservas_vista']) {
    try {
      await eventually(
        `${que}: all ${ids.length} reservas in ${coleccion}`,
        async () => ((await db.collection(coleccion).countDocuments({ _id: { $in: ids as never[] } })) === ids.length ? true : undefined),
        timeoutMs,
        1000,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${await dondeEstan(db, ids)}`, { cause: error });
    }
  }
  const creadas = new Map<string, number>();
  await eventually(
    `${que}: a ReservaCreada notification for each of ${ids.length} reservas`,
    async () => {
      const faltan = ids.filter((id) => !creadas.has(id));
      for (let i = 0; i < faltan.length; i += 25) {
        await Promise.all(
          faltan.slice(i, i + 25).map(async (id) => {
            const res = await fetch(`${url('notificaciones')}/notificaciones?id_reserva=${id}`);
            const lista = ((await res.json()) as { notificaciones: Notificacion[] }).notificaciones;
            const n = lista.filter((x) => x.tipo === 'ReservaCreada').length;
            if (n > 0) creadas.set(id, n);
          }),
        );
      }
      return creadas.size === ids.length ? true : undefined;
    },
    timeoutMs,
    1000,
  );
  // Redeliveries that were still on their way would have arrived by now; count once more.
  await new Promise((r) => setTimeout(r, 1500));
  const dobles: string[] = [];
  for (let i = 0; i < ids.length; i += 25) {
    await Promise.all(
      ids.slice(i, i + 25).map(async (id) => {
        const res = await fetch(`${url('notificaciones')}/notificaciones?id_reserva=${id}`);
        const lista = ((await res.json()) as { notificaciones: Notificacion[] }).notificaciones;
        if (lista.filter((x) => x.tipo === 'ReservaCreada').length !== 1) dobles.push(id);
      }),
    );
  }
  expect(dobles).toEqual([]);
}

/** For a failure: where the reservas that are missing somewhere are, and where they are not. */
async function dondeEstan(db: Db, ids: readonly string[]): Promise<string> {
  const en = async (coleccion: string, campo = '_id') =>
    new Set(
      (await db
        .collection(coleccion)
        .find({ [campo]: { $in: ids } } as never, { projection: { [campo]: 1 } })
        .toArray()) as unknown as Record<string, string>[],
    );
  const escritura = new Set([...(await en('reservas'))].map((d) => d._id));
  const lectura = new Set([...(await en('reservas_vista'))].map((d) => d._id));
  const bandeja = new Set([...(await en('comandos_pendientes', 'mensaje.aggregateId'))].map((d) => (d as unknown as { mensaje: { aggregateId: string } }).mensaje.aggregateId));
  const faltan = ids.filter((id) => !escritura.has(id) || !lectura.has(id));
  const lineas = await Promise.all(
    faltan.slice(0, 20).map(async (id) => {
      const res = await fetch(`${url('notificaciones')}/notificaciones?id_reserva=${id}`);
      const tipos = ((await res.json()) as { notificaciones: Notificacion[] }).notificaciones.map((n) => n.tipo);
      return `  ${id}: write model ${escritura.has(id) ? 'yes' : 'NO'}, read model ${lectura.has(id) ? 'yes' : 'NO'}, command outbox ${bandeja.has(id) ? 'yes' : 'no'}, notifications [${tipos.join(', ')}]`;
    }),
  );
  return `${faltan.length} of ${ids.length} missing somewhere:\n${lineas.join('\n')}`;
}

export { RESERVA };
