import { DespachadorEventosDominio } from '../../seedwork/infraestructura/despachador-eventos';
import { PublicadorMemoria } from '../../seedwork/infraestructura/publicadores';
import { UnidadDeTrabajo } from '../../seedwork/infraestructura/uow';
import { ReservaCreada } from '../vuelos/dominio/eventos';
import { TraductorEventosReserva } from '../vuelos/infraestructura/traductor';
import { AgregarReservaUsuario } from './aplicacion/agregar-reserva-usuario';
import { ManejadorObtenerCliente, ObtenerCliente } from './aplicacion/obtener-cliente';
import { RepositorioClientesMemoria } from './infraestructura/memoria';

function uow(repo: RepositorioClientesMemoria) {
  const despachador = new DespachadorEventosDominio();
  new AgregarReservaUsuario(repo).suscribir(despachador);
  return {
    despachador,
    uow: new UnidadDeTrabajo('c', { despachador, traductor: new TraductorEventosReserva('t'), publicador: new PublicadorMemoria() }),
  };
}

describe('AgregarReservaUsuario', () => {
  it('registra un batch que agrega la reserva al cliente al confirmar, idempotente', async () => {
    const repo = new RepositorioClientesMemoria();
    const { uow: u, despachador } = uow(repo);
    await despachador.despachar(new ReservaCreada('r1', 'c1', 'Pendiente', new Date()), { uow: u, idCorrelacion: 'c' });
    await despachador.despachar(new ReservaCreada('r1', 'c1', 'Pendiente', new Date()), { uow: u, idCorrelacion: 'c' });
    expect(u.batches.map((b) => b.descripcion)).toEqual(['AgregarReservaUsuario c1 <- r1', 'AgregarReservaUsuario c1 <- r1']);
    expect(repo.clientes.size).toBe(0); // nothing before commit
    await u.commit();
    expect(await repo.obtener('c1')).toEqual({ id: 'c1', reservas: ['r1'] });
  });

  it('ignora reservas anónimas', async () => {
    const repo = new RepositorioClientesMemoria();
    const { uow: u, despachador } = uow(repo);
    await despachador.despachar(new ReservaCreada('r1', undefined, 'Pendiente', new Date()), { uow: u, idCorrelacion: 'c' });
    expect(u.batches).toEqual([]);
  });
});

describe('ObtenerCliente', () => {
  it('devuelve el cliente o NoEncontrado', async () => {
    const repo = new RepositorioClientesMemoria();
    await repo.agregarReserva('c1', 'r1');
    const m = new ManejadorObtenerCliente(repo);
    expect(await m.manejar(new ObtenerCliente('x', 'c1'))).toEqual({ ok: true, valor: { id: 'c1', reservas: ['r1'] } });
    expect(await m.manejar(new ObtenerCliente('x', 'c2'))).toMatchObject({ ok: false, error: { tipo: 'NoEncontrado' } });
  });
});
