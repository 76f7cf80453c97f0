import type { AlmacenAgregados, FabricaUnidadDeTrabajo } from '../../../seedwork/aplicacion/unidad-de-trabajo';
import { EstadoReserva } from '../dominio/estado-reserva';
import { RepositorioReservas } from '../dominio/repositorios';
import { Reserva } from '../dominio/reserva';
import { ReservaDTO } from './dto';

/** Write model of reservas: loads aggregates and stores them with their outbox (used by the UoW). */
export type AlmacenReservas = RepositorioReservas & AlmacenAgregados<Reserva>;

export interface FiltroReservas {
  /** Only these states (all when absent). */
  estados?: readonly EstadoReserva[];
  pagina: number;
  tamano: number;
}

/** Read model ("vista") of reservas: what the queries read. Never the write model. */
export interface VistaReservas {
  obtener(id: string): Promise<ReservaDTO | null>;
  /** Newest first (fecha_creacion desc, then id). */
  listar(filtro: FiltroReservas): Promise<{ elementos: ReservaDTO[]; total: number }>;
  /**
   * Idempotent, version-ordered write: stores `reserva` only if the stored one has a lower version
   * (or there is none). Returns whether it wrote.
   */
  guardarSiMasNueva(reserva: ReservaDTO): Promise<boolean>;
}

/** Current time (injected so tests control it). */
export type Reloj = () => Date;

export interface DependenciasComandosReserva {
  repositorio: AlmacenReservas;
  crearUoW: FabricaUnidadDeTrabajo;
  reloj: Reloj;
}
