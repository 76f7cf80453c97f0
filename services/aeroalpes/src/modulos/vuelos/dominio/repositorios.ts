import { Repositorio } from '../../../seedwork/dominio/repositorios';
import { Reserva } from './reserva';

/** Loads Reserva aggregates (the write model). */
export type RepositorioReservas = Repositorio<Reserva>;
