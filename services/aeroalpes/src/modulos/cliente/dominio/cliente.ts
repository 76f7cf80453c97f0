/** What the cliente module knows about a customer: the reservas made in their name. */
export interface Cliente {
  id: string;
  reservas: string[];
}

/** Port of the customers' store (collection `clientes`). */
export interface RepositorioClientes {
  /** Adds the reserva to the customer's list; idempotent (a set), creates the customer if needed. */
  agregarReserva(idCliente: string, idReserva: string): Promise<void>;
  obtener(idCliente: string): Promise<Cliente | null>;
}
