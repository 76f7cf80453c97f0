import { AgregadoDuplicadoExcepcion, ConflictoVersionExcepcion } from '../../../seedwork/dominio/excepciones';
import { MensajeIntegracion } from '../../../seedwork/infraestructura/mensajes';
import { AlmacenConOutbox, EscrituraConOutbox, PendientesAgregado } from '../../../seedwork/infraestructura/outbox';
import { Reserva } from '../dominio/reserva';
import { ReservaDTO } from '../aplicacion/dto';
import { AlmacenReservas, FiltroReservas, VistaReservas } from '../aplicacion/puertos';
import { DocumentoReserva, DocumentoReservaConOutbox, MapeadorReservaDocumento } from './documentos';

/**
 * In-memory write model with the same semantics as the MongoDB one (single-document write of the
 * aggregate and its outbox, optimistic concurrency, duplicate ids), storing the same documents.
 * `fallarCon` injects a failure into the next writes (to test 500s and partial commits).
 */
export class RepositorioReservasMemoria implements AlmacenReservas, AlmacenConOutbox<Reserva, unknown> {
  readonly nombre = 'reservas';
  readonly documentos = new Map<string, DocumentoReservaConOutbox>();
  readonly #mapeador = new MapeadorReservaDocumento();
  #fallo: Error | undefined;

  fallarCon(error: Error | undefined): void {
    this.#fallo = error;
  }

  async obtenerPorId(id: string): Promise<Reserva | null> {
    if (this.#fallo) throw this.#fallo;
    const doc = this.documentos.get(id);
    return doc ? this.#mapeador.externoAEntidad(structuredClone(doc)) : null;
  }

  aDocumento(reserva: Reserva): DocumentoReserva {
    return this.#mapeador.entidadAExterno(reserva);
  }

  async guardar(escritura: EscrituraConOutbox<unknown>): Promise<void> {
    if (this.#fallo) throw this.#fallo;
    const { documento, versionEsperada, versionNueva, mensajes } = escritura as EscrituraConOutbox<DocumentoReserva>;
    const actual = this.documentos.get(documento._id);
    if (versionEsperada === 0) {
      if (actual) throw new AgregadoDuplicadoExcepcion(documento._id);
      this.documentos.set(documento._id, structuredClone({ ...documento, version: versionNueva, outbox: mensajes }));
      return;
    }
    if (!actual || actual.version !== versionEsperada) throw new ConflictoVersionExcepcion(documento._id, versionEsperada);
    this.documentos.set(documento._id, structuredClone({ ...documento, version: versionNueva, outbox: [...actual.outbox, ...mensajes] }));
  }

  async marcarEnviados(idAgregado: string, mensajes: readonly MensajeIntegracion[]): Promise<void> {
    const doc = this.documentos.get(idAgregado);
    if (!doc) return;
    const ids = new Set(mensajes.map((m) => m.id));
    doc.outbox = doc.outbox.filter((m) => !ids.has(m.id));
  }

  async pendientes({ hasta, limite }: { hasta: number; limite: number }): Promise<PendientesAgregado[]> {
    return [...this.documentos.values()]
      .filter((d) => d.outbox.some((m) => m.time <= hasta))
      .sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0))
      .slice(0, limite)
      .map((d) => ({ idAgregado: d._id, version: d.version, mensajes: structuredClone(d.outbox) }));
  }

  async pendientesDe(idAgregado: string): Promise<PendientesAgregado | null> {
    const d = this.documentos.get(idAgregado);
    return d && d.outbox.length > 0 ? { idAgregado, version: d.version, mensajes: structuredClone(d.outbox) } : null;
  }

  /** All messages still in some outbox (test helper). */
  get outbox(): MensajeIntegracion[] {
    return [...this.documentos.values()].flatMap((d) => d.outbox);
  }
}

/** In-memory read model with the ordering and idempotence of the MongoDB one. */
export class VistaReservasMemoria implements VistaReservas {
  readonly documentos = new Map<string, ReservaDTO>();

  async obtener(id: string): Promise<ReservaDTO | null> {
    const doc = this.documentos.get(id);
    return doc ? structuredClone(doc) : null;
  }

  async listar({ estados, pagina, tamano }: FiltroReservas): Promise<{ elementos: ReservaDTO[]; total: number }> {
    const todos = [...this.documentos.values()]
      .filter((r) => !estados || estados.includes(r.estado))
      .sort((a, b) => comparar(b.fecha_creacion, a.fecha_creacion) || comparar(b.id, a.id));
    return { elementos: structuredClone(todos.slice((pagina - 1) * tamano, pagina * tamano)), total: todos.length };
  }

  async guardarSiMasNueva(reserva: ReservaDTO): Promise<boolean> {
    const actual = this.documentos.get(reserva.id);
    if (actual && actual.version >= reserva.version) return false;
    this.documentos.set(reserva.id, structuredClone(reserva));
    return true;
  }
}

function comparar(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
