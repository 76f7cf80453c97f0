import { ManejadorQuery, Query } from '../../../seedwork/aplicacion/queries';
import { exito, noEncontrado, Resultado } from '../../../seedwork/aplicacion/resultado';
import { Cliente, RepositorioClientes } from '../dominio/cliente';

export class ObtenerCliente extends Query<Cliente> {
  readonly tipo = 'ObtenerCliente';

  constructor(
    idCorrelacion: string,
    readonly idCliente: string,
  ) {
    super(idCorrelacion);
  }
}

export class ManejadorObtenerCliente implements ManejadorQuery<ObtenerCliente> {
  constructor(private readonly repositorio: RepositorioClientes) {}

  async manejar(query: ObtenerCliente): Promise<Resultado<Cliente>> {
    const cliente = await this.repositorio.obtener(query.idCliente);
    return cliente ? exito(cliente) : noEncontrado('Cliente', query.idCliente);
  }
}
