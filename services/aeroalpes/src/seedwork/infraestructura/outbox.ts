import type { AlmacenAgregados } from '../aplicacion/unidad-de-trabajo';
import { AgregacionRaiz } from '../dominio/entidades';
import { Logger, loggerSilencioso } from '@aeroalpes/comun';
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
  reloj?: () => number;
}

export interface InformeRelay {
  publicados: number;
  fallidos: number;
}

/**
 * Publishes whatever a crash or a broker outage left in the outboxes, aggregate by aggregate
 * through drenarAgregado (the drain the unit of work runs after its commit). A store that fails to
 * read or to remove what was published is left for the next run. Runs at start, periodically and
 * on demand; one run at a time.
 */
export class RelayOutbox {
  readonly #logger: Logger;
  readonly #intervaloMs: number;
  readonly #edadMinimaMs: number;
  readonly #limite: number;
  readonly #reloj: () => number;
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

  async #pasada(): Promise<InformeRelay> {
    const informe: InformeRelay = { publicados: 0, fallidos: 0 };
    for (const almacen of this.almacenes) {
      try {
        await this.#vaciar(almacen, informe);
      } catch (error) {
        informe.fallidos++;
        this.#logger.error('relay: no se pudo leer el outbox', { store: almacen.nombre, err: error });
      }
    }
    if (informe.publicados > 0 || informe.fallidos > 0) this.#logger.info('relay: pasada terminada', { published: informe.publicados, failed: informe.fallidos });
    return informe;
  }

  async #vaciar(almacen: OutboxPendiente, informe: InformeRelay): Promise<void> {
    for (;;) {
      if (this.#detenido) return;
      const hasta = this.#reloj() - this.#edadMinimaMs;
      const lote = await almacen.pendientes({ hasta, limite: this.#limite });
      let avanzo = false;
      for (const pendiente of lote) {
        // A message younger than `hasta`, and those after it, are left to the commit publishing them.
        const corte = pendiente.mensajes.findIndex((m) => m.time > hasta);
        const listos = corte === -1 ? pendiente : { idAgregado: pendiente.idAgregado, mensajes: pendiente.mensajes.slice(0, corte) };
        const d = await drenarAgregado(almacen, listos, this.publicador, this.#logger);
        informe.publicados += d.publicados;
        if (d.pendientes > 0) informe.fallidos++;
        if (!d.marcados) {
          // The store does not take removals: reading it again would find the same messages.
          informe.fallidos++;
          return;
        }
        if (d.publicados > 0) avanzo = true;
      }
      // A full batch that made progress may hide more pending aggregates: go on.
      if (lote.length < this.#limite || !avanzo) return;
    }
  }
}
