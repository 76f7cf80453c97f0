import { Pagina, ManejadorQuery, Query } from '../../../../seedwork/aplicacion/queries';
import { Resultado } from '../../../../seedwork/aplicacion/resultado';
import { EstadoReserva } from '../../dominio/estado-reserva';
import { ReservaDTO } from '../dto';
import { VistaReservas } from '../puertos';
import { listarReservas, Paginacion } from './paginacion';

/** All reservas, newest first, paged; optionally only those in one state. */
export class ObtenerTodasReservas extends Query<Pagina<ReservaDTO>> {
  readonly tipo = 'ObtenerTodasReservas';

  constructor(
    idCorrelacion: string,
    readonly paginacion: Paginacion = {},
    readonly estado?: EstadoReserva,
  ) {
    super(idCorrelacion);
  }
}

export class ManejadorObtenerTodasReservas implements ManejadorQuery<ObtenerTodasReservas> {
  constructor(private readonly vista: VistaReservas) {}

  manejar(query: ObtenerTodasReservas): Promise<Resultado<Pagina<ReservaDTO>>> {
    return listarReservas(this.vista, query.paginacion, query.estado ? [query.estado] : undefined);
  }
}
