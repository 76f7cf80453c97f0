import { Cliente, RepositorioClientes } from '../dominio/cliente';

export class RepositorioClientesMemoria implements RepositorioClientes {
  readonly clientes = new Map<string, string[]>();

  async agregarReserva(idCliente: string, idReserva: string): Promise<void> {
    const reservas = this.clientes.get(idCliente) ?? [];
    if (!reservas.includes(idReserva)) reservas.push(idReserva);
    this.clientes.set(idCliente, reservas);
  }

  async obtener(idCliente: string): Promise<Cliente | null> {
    const reservas = this.clientes.get(idCliente);
    return reservas ? { id: idCliente, reservas: [...reservas] } : null;
  }
}
