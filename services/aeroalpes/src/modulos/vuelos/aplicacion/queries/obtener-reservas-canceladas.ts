import { Pagina, ManejadorQuery, Query } from '../../../../seedwork/aplicacion/queries';
import { Resultado } from '../../../../seedwork/aplicacion/resultado';
import { EstadoReserva } from '../../dominio/estado-reserva';
import { ReservaDTO } from '../dto';
import { VistaReservas } from '../puertos';
import { listarReservas, Paginacion } from './paginacion';

/** Reservas in state Cancelada, newest first, paged. */
export class ObtenerReservasCanceladas extends Query<Pagina<ReservaDTO>> {
  readonly tipo = 'ObtenerReservasCanceladas';

  constructor(
    idCorrelacion: string,
    readonly paginacion: Paginacion = {},
  ) {
    super(idCorrelacion);
  }
}

export class ManejadorObtenerReservasCanceladas implements ManejadorQuery<ObtenerReservasCanceladas> {
  constructor(private readonly vista: VistaReservas) {}

  manejar(query: ObtenerReservasCanceladas): Promise<Resultado<Pagina<ReservaDTO>>> {
    return listarReservas(this.vista, query.paginacion, [EstadoReserva.Cancelada]);
  }
}
