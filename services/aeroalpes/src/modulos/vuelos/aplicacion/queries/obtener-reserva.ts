import { exito, noEncontrado, Resultado } from '../../../../seedwork/aplicacion/resultado';
import { ManejadorQuery, Query } from '../../../../seedwork/aplicacion/queries';
import { ReservaDTO } from '../dto';
import { VistaReservas } from '../puertos';

/** One reserva from the read model. */
export class ObtenerReserva extends Query<ReservaDTO> {
  readonly tipo = 'ObtenerReserva';

  constructor(
    idCorrelacion: string,
    readonly idReserva: string,
  ) {
    super(idCorrelacion);
  }
}

export class ManejadorObtenerReserva implements ManejadorQuery<ObtenerReserva> {
  constructor(private readonly vista: VistaReservas) {}

  async manejar(query: ObtenerReserva): Promise<Resultado<ReservaDTO>> {
    const reserva = await this.vista.obtener(query.idReserva);
    return reserva ? exito(reserva) : noEncontrado('Reserva', query.idReserva);
  }
}
