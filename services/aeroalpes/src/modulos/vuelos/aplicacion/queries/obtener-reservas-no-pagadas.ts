import { Pagina, ManejadorQuery, Query } from '../../../../seedwork/aplicacion/queries';
import { Resultado } from '../../../../seedwork/aplicacion/resultado';
import { EstadoReserva } from '../../dominio/estado-reserva';
import { ReservaDTO } from '../dto';
import { VistaReservas } from '../puertos';
import { listarReservas, Paginacion } from './paginacion';

/**
 * Reservas still waiting for payment: Pendiente or Aprobada (a Cancelada one is not paid either,
 * but it will never be: it is not "unpaid", it is cancelled).
 */
export class ObtenerReservasNoPagadas extends Query<Pagina<ReservaDTO>> {
  readonly tipo = 'ObtenerReservasNoPagadas';

  constructor(
    idCorrelacion: string,
    readonly paginacion: Paginacion = {},
  ) {
    super(idCorrelacion);
  }
}

const ESTADOS_NO_PAGADOS: readonly EstadoReserva[] = [EstadoReserva.Pendiente, EstadoReserva.Aprobada];

export class ManejadorObtenerReservasNoPagadas implements ManejadorQuery<ObtenerReservasNoPagadas> {
  constructor(private readonly vista: VistaReservas) {}

  manejar(query: ObtenerReservasNoPagadas): Promise<Resultado<Pagina<ReservaDTO>>> {
    return listarReservas(this.vista, query.paginacion, ESTADOS_NO_PAGADOS);
  }
}
