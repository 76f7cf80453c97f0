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
  /** The aggregate's version when its outbox was read (stores that track it). */
  version?: number;
  /** In commit order: the whole outbox as read. */
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
 * Publishes whatever a crash or a broker outage left in the outboxes, each message with the id it
 * was given at commit, in commit order per aggregate (stops at an aggregate's first failure, leaving
 * the rest for the next run). Runs at start, periodically and on demand; one run at a time.
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
      for (const { idAgregado, version, mensajes } of lote) {
        const enviados: MensajeIntegracion[] = [];
        for (const mensaje of mensajes) {
          if (mensaje.time > hasta) break;
          try {
            await this.publicador.publicar(mensaje);
            enviados.push(mensaje);
            informe.publicados++;
          } catch (error) {
            informe.fallidos++;
            this.#logger.warn('relay: publicación fallida, queda pendiente', {
              correlation_id: mensaje.correlationId,
              message_id: mensaje.id,
              aggregate_id: idAgregado,
              err: error,
            });
            break;
          }
        }
        if (enviados.length > 0) {
          avanzo = true;
          const todos = enviados.length === mensajes.length && version !== undefined;
          await almacen.marcarEnviados(idAgregado, enviados, todos ? { outboxCompletoEnVersion: version } : {});
        }
      }
      // A full batch that made progress may hide more pending aggregates: go on.
      if (lote.length < this.#limite || !avanzo) return;
    }
  }
}
