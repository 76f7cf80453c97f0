import type { AlmacenAgregados } from '../aplicacion/unidad-de-trabajo';
import { AgregacionRaiz } from '../dominio/entidades';
import { Logger, loggerSilencioso } from '@aeroalpes/comun';
import { ArriendosMemoria, ArriendosRelay, duenioDeProceso } from './arriendos';
import { MensajeIntegracion, PublicadorMensajes } from './mensajes';

/**
 * Write port for an aggregate stored with an outbox INSIDE its own document, so the aggregate and
 * its pending integration messages are written in one single-document write (atomic on MongoDB
 * and on FerretDB, which has no multi-document transactions).
 */
export interface EscrituraConOutbox<D> {
  documento: D;
  /** 0 for a new aggregate (insert); otherwise the version read (update only if unchanged). */
  versionEsperada: number;
  versionNueva: number;
  mensajes: MensajeIntegracion[];
}

export interface PendientesAgregado {
  idAgregado: string;
  /**
   * Given only when `mensajes` is the aggregate's whole outbox at this version: what a store that
   * tracks versions read, or what a new aggregate's commit wrote.
   */
  version?: number;
  /** In commit order. */
  mensajes: MensajeIntegracion[];
}

export interface OpcionesMarcado {
  /**
   * These messages were the aggregate's whole outbox at this version (a new aggregate's commit, or
   * everything the relay read): once they are removed nothing of that version is pending, which
   * lets the store stop looking at the aggregate without reading it. A later version may have
   * added messages: the store checks the version, so this never hides one.
   */
  outboxCompletoEnVersion?: number;
}

/** The part of an outbox store the relay needs. */
export interface OutboxPendiente {
  readonly nombre: string;
  /**
   * Aggregates with messages whose `time` <= `hasta` (the relay leaves fresh ones to their
   * commit), at most `limite`. Its cost must follow the number of pending aggregates, not the
   * size of the store.
   */
  pendientes(opciones: { hasta: number; limite: number }): Promise<PendientesAgregado[]>;
  /**
   * What one aggregate has pending now (null: nothing), read by the relay once it holds the
   * aggregate's lease: what another replica published and removed before is not there any more.
   */
  pendientesDe(idAgregado: string): Promise<PendientesAgregado | null>;
  /** Removes these messages from the aggregate's outbox (idempotent). */
  marcarEnviados(idAgregado: string, mensajes: readonly MensajeIntegracion[], opciones?: OpcionesMarcado): Promise<void>;
}

export interface AlmacenConOutbox<T extends AgregacionRaiz, D> extends OutboxPendiente, AlmacenAgregados<T> {
  /** A snapshot of the aggregate (taken when it is registered in the unit of work). */
  aDocumento(agregado: T): D;
  /**
   * Insert (versionEsperada 0; duplicate id => AgregadoDuplicadoExcepcion) or conditional update
   * on the expected version (no match => ConflictoVersionExcepcion), appending the messages.
   */
  guardar(escritura: EscrituraConOutbox<D>): Promise<void>;
}

/** What one drain of an aggregate's outbox did. */
export interface DesenlaceDrenado {
  publicados: number;
  /** Left in the outbox, in order: the message whose publication failed and those after it. */
  pendientes: number;
  /** False when the published messages could not be removed: they are published again later, same ids. */
  marcados: boolean;
}

/**
 * THE drain of an outbox, for one aggregate: used right after a commit (the unit of work) and by
 * the relay's sweep. Publishes the messages in commit order, each with the id it was given at
 * commit, and stops at the first failure (the rest stay, in order, for the next drain); then
 * removes the published ones from the store. When `version` is given and every message went out,
 * the store hears that they were the aggregate's whole outbox at that version
 * (OpcionesMarcado.outboxCompletoEnVersion). A failed publication or removal is logged and
 * reported in the outcome, never thrown. The store group-commits the removals of concurrent drains.
 */
export async function drenarAgregado(
  almacen: OutboxPendiente,
  { idAgregado, version, mensajes }: PendientesAgregado,
  publicador: PublicadorMensajes,
  logger: Logger,
): Promise<DesenlaceDrenado> {
  const enviados: MensajeIntegracion[] = [];
  for (const mensaje of mensajes) {
    try {
      await publicador.publicar(mensaje);
      enviados.push(mensaje);
    } catch (error) {
      logger.warn('outbox: publicación fallida, el mensaje queda pendiente', {
        store: almacen.nombre,
        correlation_id: mensaje.correlationId,
        message_id: mensaje.id,
        aggregate_id: idAgregado,
        err: error,
      });
      break;
    }
  }
  const desenlace: DesenlaceDrenado = { publicados: enviados.length, pendientes: mensajes.length - enviados.length, marcados: true };
  if (enviados.length === 0) return desenlace;
  try {
    const completo = desenlace.pendientes === 0 && version !== undefined;
    await almacen.marcarEnviados(idAgregado, enviados, completo ? { outboxCompletoEnVersion: version } : {});
  } catch (error) {
    desenlace.marcados = false;
    logger.warn('outbox: publicados pero no se pudieron quitar: se publicarán de nuevo con los mismos ids', {
      store: almacen.nombre,
      correlation_id: enviados[0]!.correlationId,
      message_ids: enviados.map((m) => m.id),
      aggregate_id: idAgregado,
      err: error,
    });
  }
  return desenlace;
}

export interface OpcionesRelay {
  logger?: Logger;
  /** Period of the automatic runs (ms); 0 disables the timer (runs only when triggered). */
  intervaloMs?: number;
  /** Messages younger than this are left to the commit that is publishing them right now. */
  edadMinimaMs?: number;
  /** Aggregates per store and pass. */
  limite?: number;
  /**
   * Failed passes after which an aggregate is parked (quarantine): no longer retried, listed by
   * `cuarentena()`, logged. Only a pass in which something else was published counts (the broker
   * works, this aggregate does not): an outage parks nothing.
   */
  intentosMaximos?: number;
  /**
   * Where the relays of all replicas take their lease on an aggregate before draining it: one
   * store they share (ArriendosMongo in main.ts). Default: leases within this process only.
   */
  arriendos?: ArriendosRelay;
  /** This relay's owner of leases: unique per process (default: a new duenioDeProceso()). */
  duenio?: string;
  /**
   * How long a lease lasts (ms). Longer than the slowest drain of one aggregate (its messages
   * times the publish timeout): a lease that expires mid-drain lets another replica publish the
   * same messages again (same ids). Also the longest a replica that died holding one delays it.
   */
  arriendoMs?: number;
  reloj?: () => number;
}

export interface InformeRelay {
  publicados: number;
  fallidos: number;
  /** Aggregates parked so far (all stores). */
  enCuarentena: number;
}

/** An aggregate whose pending messages keep failing to publish, and how often they did. */
export interface AgregadoEnCuarentena {
  store: string;
  idAgregado: string;
  intentos: number;
  /** When it was parked (epoch ms). */
  desde?: number;
}

/** Aggregates a pass may try per store, failures included: the work of one pass stays bounded. */
const MAXIMO_POR_PASADA = 10;

/**
 * Publishes whatever a crash or a broker outage left in the outboxes, aggregate by aggregate
 * through drenarAgregado (the drain the unit of work runs after its commit). A store that fails to
 * read or to remove what was published is left for the next run. Runs at start, periodically and
 * on demand; one run at a time.
 *
 * Several replicas run one relay each over the same stores: before draining an aggregate a relay
 * takes its lease (ArriendosRelay), reads what the aggregate has pending now (not what the sweep
 * read: another replica may have published it meanwhile), drains it and gives the lease back.
 * An aggregate another replica holds is stepped over in this pass. So each pending message is
 * published by one relay, and a replica adds no broker traffic, only a lease per aggregate it
 * tries. Nothing pending costs no lease. The drain right after a commit takes none: the relay
 * leaves messages younger than `edadMinimaMs` to it.
 */
export class RelayOutbox {
  readonly #logger: Logger;
  readonly #intervaloMs: number;
  readonly #edadMinimaMs: number;
  readonly #limite: number;
  readonly #intentosMaximos: number;
  readonly #arriendos: ArriendosRelay;
  readonly #duenio: string;
  readonly #arriendoMs: number;
  readonly #reloj: () => number;
  /** Failed passes per aggregate (`store/id`), and the parked ones (`desde` set). In memory: a restart retries. */
  readonly #fallos = new Map<string, AgregadoEnCuarentena>();
  #enCurso: Promise<InformeRelay> | undefined;
  #temporizador: NodeJS.Timeout | undefined;
  #detenido = false;

  constructor(
    private readonly almacenes: readonly OutboxPendiente[],
    private readonly publicador: PublicadorMensajes,
    opciones: OpcionesRelay = {},
  ) {
    this.#logger = opciones.logger ?? loggerSilencioso;
    this.#intervaloMs = opciones.intervaloMs ?? 5000;
    this.#edadMinimaMs = opciones.edadMinimaMs ?? 10000;
    this.#limite = opciones.limite ?? 100;
    this.#intentosMaximos = opciones.intentosMaximos ?? 10;
    this.#arriendos = opciones.arriendos ?? new ArriendosMemoria();
    this.#duenio = opciones.duenio ?? duenioDeProceso();
    this.#arriendoMs = opciones.arriendoMs ?? 30000;
    this.#reloj = opciones.reloj ?? Date.now;
  }

  /** Runs once now and then every `intervaloMs`. */
  iniciar(): void {
    this.#detenido = false;
    void this.ejecutar().catch(() => undefined);
    if (this.#intervaloMs > 0 && !this.#temporizador) {
      this.#temporizador = setInterval(() => void this.ejecutar().catch(() => undefined), this.#intervaloMs);
      this.#temporizador.unref();
    }
  }

  async detener(): Promise<void> {
    this.#detenido = true;
    if (this.#temporizador) clearInterval(this.#temporizador);
    this.#temporizador = undefined;
    await this.#enCurso?.catch(() => undefined);
  }

  /** One pass over every store; concurrent callers share the run in progress. */
  ejecutar(): Promise<InformeRelay> {
    if (!this.#enCurso) {
      this.#enCurso = this.#pasada().finally(() => {
        this.#enCurso = undefined;
      });
    }
    return this.#enCurso;
  }

  /** The parked aggregates, oldest first. */
  cuarentena(): AgregadoEnCuarentena[] {
    return [...this.#fallos.values()].filter((a) => a.desde !== undefined).sort((a, b) => a.desde! - b.desde!);
  }

  /** Lets a parked aggregate be retried (an operator fixed its cause). Returns whether it was parked. */
  liberar(store: string, idAgregado: string): boolean {
    return this.#fallos.delete(`${store}/${idAgregado}`);
  }

  async #pasada(): Promise<InformeRelay> {
    const informe = { publicados: 0, fallidos: 0, enCuarentena: 0 };
    const fallidosEnPasada: { almacen: OutboxPendiente; idAgregado: string }[] = [];
    for (const almacen of this.almacenes) {
      try {
        await this.#vaciar(almacen, informe, fallidosEnPasada);
      } catch (error) {
        informe.fallidos++;
        this.#logger.error('relay: no se pudo leer el outbox', { store: almacen.nombre, err: error });
      }
    }
    // Something went out, these did not: count it against them (an outage publishes nothing and parks nothing).
    if (informe.publicados > 0) for (const f of fallidosEnPasada) this.#contarFallo(f.almacen, f.idAgregado);
    informe.enCuarentena = this.cuarentena().length;
    if (informe.publicados > 0 || informe.fallidos > 0) {
      this.#logger.info('relay: pasada terminada', { published: informe.publicados, failed: informe.fallidos, parked: informe.enCuarentena });
    }
    return informe;
  }

  #contarFallo(almacen: OutboxPendiente, idAgregado: string): void {
    const clave = `${almacen.nombre}/${idAgregado}`;
    const fallo = this.#fallos.get(clave) ?? { store: almacen.nombre, idAgregado, intentos: 0 };
    fallo.intentos++;
    this.#fallos.set(clave, fallo);
    if (fallo.intentos >= this.#intentosMaximos && fallo.desde === undefined) {
      fallo.desde = this.#reloj();
      this.#logger.error('relay: agregado en cuarentena, su publicación falla siempre: no se reintenta hasta liberarlo', {
        store: almacen.nombre,
        aggregate_id: idAgregado,
        failed: fallo.intentos,
      });
    }
  }

  async #vaciar(almacen: OutboxPendiente, informe: InformeRelay, fallidosEnPasada: { almacen: OutboxPendiente; idAgregado: string }[]): Promise<void> {
    // Tried in this pass (published or not): a failing aggregate at the head of the store is
    // stepped over, so it never keeps the others waiting.
    const intentados = new Set<string>();
    const aparcado = (id: string) => this.#fallos.get(`${almacen.nombre}/${id}`)?.desde !== undefined;
    for (;;) {
      if (this.#detenido) return;
      const hasta = this.#reloj() - this.#edadMinimaMs;
      const aparcados = this.cuarentena().filter((a) => a.store === almacen.nombre).length;
      const pedidos = this.#limite + intentados.size + aparcados;
      const lote = await almacen.pendientes({ hasta, limite: pedidos });
      const nuevos = lote.filter((p) => !intentados.has(p.idAgregado) && !aparcado(p.idAgregado)).slice(0, this.#limite);
      for (const { idAgregado } of nuevos) {
        intentados.add(idAgregado);
        const d = await this.#drenarConArriendo(almacen, idAgregado, hasta);
        // Another replica's relay holds it, or it has nothing pending any more.
        if (!d) continue;
        informe.publicados += d.publicados;
        if (d.pendientes > 0) {
          informe.fallidos++;
          fallidosEnPasada.push({ almacen, idAgregado });
        } else if (d.marcados) {
          this.#fallos.delete(`${almacen.nombre}/${idAgregado}`);
        }
        if (!d.marcados) {
          // The store does not take removals: reading it again would find the same messages.
          informe.fallidos++;
          return;
        }
      }
      // Less than a full batch of untried ones: the store has no more. Or this pass did its share.
      if (nuevos.length < this.#limite || intentados.size >= MAXIMO_POR_PASADA * this.#limite) return;
    }
  }

  /**
   * One aggregate under its lease: taken (null if another owner holds it), the aggregate read
   * afresh, drained, the lease given back (one that cannot be given back expires).
   */
  async #drenarConArriendo(almacen: OutboxPendiente, idAgregado: string, hasta: number): Promise<DesenlaceDrenado | null> {
    const ahora = this.#reloj();
    const arriendo = await this.#arriendos.tomar(`${almacen.nombre}/${idAgregado}`, { duenio: this.#duenio, ahora, vence: ahora + this.#arriendoMs });
    if (!arriendo) return null;
    try {
      const pendiente = await almacen.pendientesDe(idAgregado);
      if (!pendiente) return null;
      // A message younger than `hasta`, and those after it, are left to the commit publishing them.
      const corte = pendiente.mensajes.findIndex((m) => m.time > hasta);
      if (corte === 0) return null;
      const listos = corte === -1 ? pendiente : { idAgregado, mensajes: pendiente.mensajes.slice(0, corte) };
      return await drenarAgregado(almacen, listos, this.publicador, this.#logger);
    } finally {
      await this.#arriendos.soltar(arriendo).catch((error: unknown) => {
        this.#logger.warn('relay: no se pudo soltar el arriendo del agregado: vencerá solo', { store: almacen.nombre, aggregate_id: idAgregado, err: error });
      });
    }
  }
}
