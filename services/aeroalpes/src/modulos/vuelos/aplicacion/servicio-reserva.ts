import { exito, noEncontrado, Resultado } from '../../../seedwork/aplicacion/resultado';
import { RepositorioReservas } from '../dominio/repositorios';
import { ReservaDTO } from './dto';
import { reservaADto } from './mapeadores';

/**
 * The synchronous read of the original API (`GET /vuelos/reserva/{id}`): reads the aggregate from
 * the write model, so it always reflects the last commit. The CQRS side
 * (`GET /vuelos/reserva-query/{id}`, queries/obtener-reserva.ts) reads the read model instead.
 */
export class ServicioReserva {
  constructor(private readonly repositorio: RepositorioReservas) {}

  async obtenerPorId(id: string): Promise<Resultado<ReservaDTO>> {
    const reserva = await this.repositorio.obtenerPorId(id);
    return reserva ? exito(reservaADto(reserva)) : noEncontrado('Reserva', id);
  }
}
