import { randomUUID } from 'node:crypto';
import type { UnidadDeTrabajo as PuertoUnidadDeTrabajo } from '../aplicacion/unidad-de-trabajo';
import { AgregacionRaiz } from '../dominio/entidades';
import { EventoDominio } from '../dominio/eventos';
import { DespachadorEventosDominio } from './despachador-eventos';
import { Logger, loggerSilencioso } from '@aeroalpes/comun';
import { MensajeIntegracion, PublicadorMensajes, TraductorEventos } from './mensajes';
import { AlmacenConOutbox, drenarAgregado, PendientesAgregado } from './outbox';

export interface DependenciasUoW {
  despachador: DespachadorEventosDominio;
  traductor: TraductorEventos;
  publicador: PublicadorMensajes;
  logger?: Logger;
  /** Epoch millis; the `time` of the messages. */
  reloj?: () => number;
  /** Message ids. */
  generarId?: () => string;
}

// The stores of one unit of work hold different aggregate types; each entry keeps its own store and
// snapshot together, so the aggregate type is erased here (an existential TypeScript cannot spell).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AlmacenCualquiera = AlmacenConOutbox<any, unknown>;

interface BatchOperacion {
  tipo: 'operacion';
  descripcion: string;
  ejecutar: () => Promise<void>;
}

interface BatchAgregado {
  tipo: 'agregado';
  descripcion: string;
  agregado: AgregacionRaiz;
  almacen: AlmacenCualquiera;
  /** Snapshot taken at registration: a later rollback to a savepoint restores the earlier snapshot. */
  documento: unknown;
  eventos: EventoDominio[];
  versionEsperada: number;
}

type Batch = BatchOperacion | BatchAgregado;

export interface Savepoint {
  readonly posicion: number;
  readonly propietario: symbol;
}

export interface InformeCommit {
  escritos: number;
  mensajes: MensajeIntegracion[];
  publicados: number;
  pendientes: number;
}

interface Escrito {
  almacen: AlmacenCualquiera;
  /** What this commit appended to the aggregate's outbox (with the version for a new aggregate: its whole outbox). */
  pendientes: PendientesAgregado;
}

/**
 * Unit of work (the seed's UnidadTrabajo): keeps the batches of one business transaction and
 * coordinates their writes.
 *
 * - `registrarAgregado` snapshots the aggregate, takes its domain events, stamps them with the
 *   correlation id and dispatches them in-process right away (as the seed did on registration):
 *   handlers of other modules (cliente) react by registering their own batches in this same unit,
 *   so a rollback discards their work too, and nothing is written before `commit`.
 * - `savepoint` / `rollback(savepoint?)` drop the batches registered after the savepoint (or all).
 * - `commit` runs the batches in order. Each aggregate is ONE single-document write of its state and
 *   of its integration messages (translated from its events in one place, with a message id, the
 *   correlation id and the new version) into the outbox inside the document, with optimistic
 *   concurrency. Only then are the messages published and removed from the outbox, by the outbox's
 *   one drain (drenarAgregado, which RelayOutbox uses too); a failed publication leaves them there
 *   for RelayOutbox. Publishing never fails the commit.
 *
 * Without multi-document transactions, batches after a failed one are not run and earlier ones
 * stay written; the aggregate's write goes first, and reactions (cliente) are idempotent.
 */
export class UnidadDeTrabajo implements PuertoUnidadDeTrabajo {
  readonly #deps: Required<DependenciasUoW>;
  readonly #propietario = Symbol('uow');
  #batches: Batch[] = [];
  #confirmando = false;

  constructor(
    readonly idCorrelacion: string,
    deps: DependenciasUoW,
  ) {
    this.#deps = {
      logger: loggerSilencioso,
      reloj: Date.now,
      generarId: randomUUID,
      ...deps,
    };
  }

  get batches(): readonly { tipo: Batch['tipo']; descripcion: string }[] {
    return this.#batches.map(({ tipo, descripcion }) => ({ tipo, descripcion }));
  }

  registrarBatch(descripcion: string, ejecutar: () => Promise<void>): void {
    this.#exigirAbierta();
    this.#batches.push({ tipo: 'operacion', descripcion, ejecutar });
  }

  async registrarAgregado<T extends AgregacionRaiz>(agregado: T, almacen: AlmacenConOutbox<T, unknown>): Promise<void> {
    this.#exigirAbierta();
    const otra = this.#batches.find((b): b is BatchAgregado => b.tipo === 'agregado' && b.almacen === almacen && b.agregado.id === agregado.id);
    if (otra && otra.agregado !== agregado) {
      throw new Error(`dos instancias del agregado ${agregado.id} en la misma unidad de trabajo`);
    }
    const eventos = agregado.extraerEventos();
    for (const evento of eventos) evento.correlacionar(this.idCorrelacion);
    this.#batches.push({
      tipo: 'agregado',
      descripcion: `${almacen.nombre}:${agregado.id}`,
      agregado,
      almacen: almacen as AlmacenCualquiera,
      documento: almacen.aDocumento(agregado),
      eventos,
      versionEsperada: agregado.version,
    });
    for (const evento of eventos) {
      await this.#deps.despachador.despachar(evento, { uow: this, idCorrelacion: this.idCorrelacion });
    }
  }

  savepoint(): Savepoint {
    this.#exigirAbierta();
    return { posicion: this.#batches.length, propietario: this.#propietario };
  }

  rollback(savepoint?: Savepoint): void {
    this.#exigirAbierta();
    if (!savepoint) {
      this.#batches = [];
      return;
    }
    if (savepoint.propietario !== this.#propietario || savepoint.posicion > this.#batches.length) {
      throw new Error('savepoint inválido para esta unidad de trabajo');
    }
    this.#batches = this.#batches.slice(0, savepoint.posicion);
  }

  async commit(): Promise<InformeCommit> {
    this.#exigirAbierta();
    this.#confirmando = true;
    try {
      for (const b of this.#batches) {
        if (b.tipo === 'agregado' && b.agregado.eventos.length > 0) {
          throw new Error(`el agregado ${b.agregado.id} tiene eventos sin registrar: regístrelo de nuevo antes del commit`);
        }
      }
      const escritos: Escrito[] = [];
      let fallo: { error: unknown } | undefined;
      for (const paso of this.#planificar()) {
        try {
          if (paso.tipo === 'operacion') {
            await paso.ejecutar();
          } else {
            const versionNueva = paso.versionEsperada + 1;
            const mensajes = this.#traducir(paso, versionNueva);
            await paso.almacen.guardar({ documento: paso.documento, versionEsperada: paso.versionEsperada, versionNueva, mensajes });
            paso.agregado.marcarPersistido(versionNueva);
            const version = paso.versionEsperada === 0 ? versionNueva : undefined;
            escritos.push({ almacen: paso.almacen, pendientes: { idAgregado: paso.agregado.id, version, mensajes } });
          }
        } catch (error) {
          fallo = { error };
          break;
        }
      }
      const informe = await this.#publicar(escritos);
      if (fallo) throw fallo.error;
      return informe;
    } finally {
      this.#batches = [];
      this.#confirmando = false;
    }
  }

  /** Aggregates registered several times become one write at their first position, last snapshot. */
  #planificar(): Batch[] {
    const plan: Batch[] = [];
    const porAgregado = new Map<string, BatchAgregado>();
    for (const b of this.#batches) {
      if (b.tipo === 'operacion') {
        plan.push(b);
        continue;
      }
      const clave = `${b.almacen.nombre}\u0000${b.agregado.id}`;
      const previo = porAgregado.get(clave);
      if (previo) {
        previo.documento = b.documento;
        previo.eventos.push(...b.eventos);
      } else {
        const copia: BatchAgregado = { ...b, eventos: [...b.eventos] };
        porAgregado.set(clave, copia);
        plan.push(copia);
      }
    }
    return plan;
  }

  #traducir(paso: BatchAgregado, versionNueva: number): MensajeIntegracion[] {
    const time = this.#deps.reloj();
    const mensajes: MensajeIntegracion[] = [];
    for (const evento of paso.eventos) {
      const traduccion = this.#deps.traductor.traducir(evento);
      if (!traduccion) continue;
      mensajes.push({
        id: this.#deps.generarId(),
        topic: traduccion.topic,
        type: traduccion.type,
        time,
        correlationId: evento.idCorrelacion ?? this.idCorrelacion,
        aggregateId: paso.agregado.id,
        aggregateVersion: versionNueva,
        payload: traduccion.payload,
      });
    }
    return mensajes;
  }

  /** The outbox drain (outbox.ts), right after the writes; what fails stays for RelayOutbox. */
  async #publicar(escritos: Escrito[]): Promise<InformeCommit> {
    const informe: InformeCommit = { escritos: escritos.length, mensajes: [], publicados: 0, pendientes: 0 };
    for (const { almacen, pendientes } of escritos) {
      informe.mensajes.push(...pendientes.mensajes);
      const d = await drenarAgregado(almacen, pendientes, this.#deps.publicador, this.#deps.logger);
      informe.publicados += d.publicados;
      informe.pendientes += d.pendientes;
    }
    return informe;
  }

  #exigirAbierta(): void {
    if (this.#confirmando) throw new Error('la unidad de trabajo está confirmando (commit en curso)');
  }
}

/** Creates one unit of work per business transaction (per command execution). */
export type FabricaUnidadDeTrabajo = (idCorrelacion: string) => UnidadDeTrabajo;

export function fabricaUnidadDeTrabajo(deps: DependenciasUoW): FabricaUnidadDeTrabajo {
  return (idCorrelacion) => new UnidadDeTrabajo(idCorrelacion, deps);
}
