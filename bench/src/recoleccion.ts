/**
 * After a phase's last POST: wait for the system to drain, then check every accepted reserva:
 * its notifications (notificaciones' history endpoint), and its documents in MongoDB (write model
 * `reservas`, read model `reservas_vista`). Nothing here runs while the load does, so measuring
 * does not load the system under test.
 */
import type { Db } from 'mongodb';
import { peticion } from './carga';

export interface NotificacionVista {
  tipo: string;
  id_mensaje: string;
  id_reserva: string;
  enviada: string;
}

const dormir = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` over `items` with at most `n` at once; stops taking new items once `abortar` fires. */
export async function enParalelo<T>(items: T[], n: number, fn: (item: T) => Promise<void>, abortar?: AbortSignal): Promise<void> {
  let siguiente = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (siguiente < items.length && !abortar?.aborted) await fn(items[siguiente++]!);
    }),
  );
}

/**
 * Messages of `topic` that subscription `suscripcion` has acknowledged, from Pulsar's admin API:
 * the topic's published messages (`msgInCounter`) minus the subscription's backlog (precise: the
 * individual acks of a shared subscription count). Dapr acknowledges once its app answered SUCCESS
 * (or DROP, to the dead-letter topic). The backlog is counted in entries, and with producer batching
 * an entry holds several messages: an empty backlog is exact, a non-empty one is converted with the
 * topic's messages per entry (internal stats), so the count reaches the published total only when
 * everything is acknowledged. Works whether the sidecar delivers messages one by one or in bulk
 * (daprd's bulk-subscribe metrics count deliveries, not messages).
 */
export async function confirmadosPulsar(admin: string, topic: string, suscripcion: string): Promise<number | undefined> {
  const base = `${admin}/admin/v2/persistent/public/default/${topic}`;
  const leer = async <T>(ruta: string): Promise<T | undefined> => {
    const res = await fetch(`${base}/${ruta}`, { signal: AbortSignal.timeout(3000) });
    return res.ok ? ((await res.json()) as T) : undefined;
  };
  const stats = await leer<{ msgInCounter?: number; subscriptions?: Record<string, { msgBacklog?: number }> }>('stats?getPreciseBacklog=true');
  const publicados = stats?.msgInCounter;
  const atrasadas = stats?.subscriptions?.[suscripcion]?.msgBacklog;
  if (publicados === undefined || atrasadas === undefined) return undefined;
  if (atrasadas <= 0) return publicados;
  const internos = await leer<{ entriesAddedCounter?: number }>('internalStats');
  const porEntrada = Math.max(1, publicados / Math.max(1, internos?.entriesAddedCounter ?? publicados));
  return Math.floor(publicados - atrasadas * porEntrada);
}

export type FinDrenaje = 'complete' | 'no metric' | 'stalled 5 s' | 'deadline' | 'cannot finish in time' | 'interrupted';

/**
 * Waits until `leer()` (messages notificaciones acknowledged) reaches `objetivo`,
 * or stops moving for 5 s, or `limite` passes. Cheap: one scrape every 500 ms. With `rendirse`,
 * gives up as soon as the pace of the last 5 s cannot reach `objetivo` before `limite`.
 */
export async function esperarDrenaje(leer: () => Promise<number | undefined>, objetivo: number, limite: number, abortar: AbortSignal, rendirse = false): Promise<FinDrenaje> {
  let ultimo = -1;
  let quietoDesde = Date.now();
  const historia: [number, number][] = [];
  while (Date.now() < limite && !abortar.aborted) {
    const v = await leer().catch(() => undefined);
    if (v === undefined) return 'no metric';
    if (v >= objetivo) return 'complete';
    const ahora = Date.now();
    if (v !== ultimo) {
      ultimo = v;
      quietoDesde = ahora;
    } else if (ahora - quietoDesde > 5000) return 'stalled 5 s';
    historia.push([ahora, v]);
    const previo = historia.find(([t]) => t >= ahora - 5000)!;
    if (rendirse && ahora - historia[0]![0] >= 5000) {
      const ritmo = (v - previo[1]) / Math.max(0.001, (ahora - previo[0]) / 1000);
      if (ritmo <= 0 || (objetivo - v) / ritmo > (limite - ahora) / 1000) return 'cannot finish in time';
    }
    await dormir(500);
  }
  return abortar.aborted ? 'interrupted' : 'deadline';
}

/**
 * The notifications of every id. Ids without a ReservaCreada are fetched again every second until
 * `limite` (at least one round always runs).
 */
export async function recogerNotificaciones(base: string, ids: string[], concurrencia: number, limite: number, abortar: AbortSignal): Promise<Map<string, NotificacionVista[]>> {
  const resultado = new Map<string, NotificacionVista[]>();
  let pendientes = ids;
  for (let ronda = 0; ; ronda++) {
    const faltan: string[] = [];
    await enParalelo(
      pendientes,
      concurrencia,
      async (id) => {
        const r = await peticion(`${base}/notificaciones?id_reserva=${id}`, { timeoutMs: 10_000 }).catch(() => undefined);
        let lista: NotificacionVista[] = [];
        if (r?.status === 200) lista = (JSON.parse(r.cuerpo) as { notificaciones?: NotificacionVista[] }).notificaciones ?? [];
        resultado.set(id, lista);
        if (!lista.some((n) => n.tipo === 'ReservaCreada')) faltan.push(id);
      },
      abortar,
    );
    pendientes = faltan;
    if (pendientes.length === 0 || Date.now() >= limite || abortar.aborted) return resultado;
    await dormir(1000);
  }
}

/** Which of `ids` have a document in `coleccion` (batched `$in`; FerretDB scans the collection once per query). */
export async function presentes(db: Db, coleccion: string, ids: string[]): Promise<Set<string>> {
  const encontrados = new Set<string>();
  for (let i = 0; i < ids.length; i += 1000) {
    const lote = ids.slice(i, i + 1000);
    const docs = await db
      .collection<{ _id: string }>(coleccion)
      .find({ _id: { $in: lote } }, { projection: { _id: 1 } })
      .toArray();
    for (const d of docs) encontrados.add(d._id);
  }
  return encontrados;
}

/** Like `presentes`, asking again every second for the missing ones until `limite` (one round at least). */
export async function presentesHasta(db: Db, coleccion: string, ids: string[], limite: number, abortar: AbortSignal): Promise<Set<string>> {
  const encontrados = await presentes(db, coleccion, ids);
  while (encontrados.size < ids.length && Date.now() < limite && !abortar.aborted) {
    await dormir(1000);
    for (const id of await presentes(
      db,
      coleccion,
      ids.filter((i) => !encontrados.has(i)),
    ))
      encontrados.add(id);
  }
  return encontrados;
}

/** Write-model documents whose outbox still holds unpublished messages. */
export async function outboxPendiente(db: Db): Promise<number> {
  return db.collection('reservas').countDocuments({ 'outbox.0': { $exists: true } });
}
