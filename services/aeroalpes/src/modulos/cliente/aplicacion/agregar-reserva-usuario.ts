import type { ContextoEvento, SuscripcionEventosDominio } from '../../../seedwork/aplicacion/unidad-de-trabajo';
import { ReservaCreada } from '../../vuelos/dominio/eventos';
import { RepositorioClientes } from '../dominio/cliente';

/**
 * AgregarReservaUsuario: when a reserva is created for a customer (domain event ReservaCreada,
 * in-process), the customer's record lists it. The reaction registers its batch in the same unit
 * of work as the reserva, so it is written only if the reserva's commit goes ahead (and after it).
 */
export class AgregarReservaUsuario {
  constructor(private readonly repositorio: RepositorioClientes) {}

  manejar(evento: ReservaCreada, { uow }: ContextoEvento): void {
    const idCliente = evento.idCliente;
    if (!idCliente) return; // anonymous reserva
    uow.registrarBatch(`AgregarReservaUsuario ${idCliente} <- ${evento.idReserva}`, () => this.repositorio.agregarReserva(idCliente, evento.idReserva));
  }

  suscribir(despachador: SuscripcionEventosDominio): void {
    despachador.suscribir(ReservaCreada, (evento, contexto) => this.manejar(evento, contexto));
  }
}
