import { randomUUID } from 'node:crypto';
import { componerEnMemoria } from '../../../composicion';
import { ObtenerCliente } from '../../cliente/aplicacion/obtener-cliente';
import { AprobarReserva } from './comandos/aprobar-reserva';
import { CancelarReserva } from './comandos/cancelar-reserva';
import { CrearReserva, validarSolicitudReserva } from './comandos/crear-reserva';
import { PagarReserva } from './comandos/pagar-reserva';
import { ReservaDTO } from './dto';
import { copiaSolicitud, SOLICITUD_MINIMA } from './ejemplos';
import { ObtenerReserva } from './queries/obtener-reserva';
import { ObtenerReservasCanceladas } from './queries/obtener-reservas-canceladas';
import { ObtenerReservasNoPagadas } from './queries/obtener-reservas-no-pagadas';
import { ObtenerTodasReservas } from './queries/obtener-todas-reservas';

let segundos = 0;
const reloj = () => new Date(Date.UTC(2024, 5, 1, 12, 0, segundos++, 500));

function nucleo() {
  return componerEnMemoria({ reloj });
}

async function crear(n: ReturnType<typeof nucleo>, idCliente?: string): Promise<ReservaDTO> {
  const r = await n.busComandos.ejecutar(new CrearReserva('corr', randomUUID(), { ...copiaSolicitud(), ...(idCliente ? { id_cliente: idCliente } : {}) }));
  if (!r.ok) throw new Error(r.error.mensaje);
  return r.valor;
}

describe('comandos', () => {
  it('CrearReserva: escribe, emite ReservaCreada, proyecta y el cliente la registra', async () => {
    const n = nucleo();
    const idCliente = randomUUID();
    const id = randomUUID();
    const r = await n.busComandos.ejecutar(new CrearReserva('corr-crear', id, { ...copiaSolicitud(), id_cliente: idCliente }));
    expect(r).toMatchObject({ ok: true, valor: { id, estado: 'Pendiente', version: 1, id_cliente: idCliente } });
    // Seconds precision: the wire date round-trips exactly.
    expect((r as { valor: ReservaDTO }).valor.fecha_creacion).toMatch(/^2024-06-01T12:00:\d\dZ$/);
    expect(n.publicador.publicados.map((m) => [m.type, m.correlationId])).toEqual([['ReservaCreada', 'corr-crear']]);
    expect(await n.vista.obtener(id)).toEqual((r as { valor: ReservaDTO }).valor);
    expect(await n.busQueries.ejecutar(new ObtenerCliente('c', idCliente))).toEqual({ ok: true, valor: { id: idCliente, reservas: [id] } });
  });

  it('CrearReserva anónima no toca clientes', async () => {
    const n = nucleo();
    await crear(n);
    expect(n.clientes.clientes.size).toBe(0);
  });

  it('CrearReserva con una regla violada es un Resultado ReglaNegocio y no escribe nada', async () => {
    const n = nucleo();
    const s = copiaSolicitud();
    const leg = s.itinerarios[0]?.odos[0]?.segmentos[0]?.legs[0];
    if (leg) leg.fecha_llegada = leg.fecha_salida;
    const r = await n.busComandos.ejecutar(new CrearReserva('c', randomUUID(), s));
    expect(r).toMatchObject({ ok: false, error: { tipo: 'ReglaNegocio', regla: 'LlegadaPosteriorASalida' } });
    expect(n.reservas.documentos.size).toBe(0);
    expect(n.publicador.publicados).toHaveLength(0);
  });

  it('CrearReserva con un id ya usado es Conflicto', async () => {
    const n = nucleo();
    const id = randomUUID();
    await n.busComandos.ejecutar(new CrearReserva('c', id, copiaSolicitud()));
    expect(await n.busComandos.ejecutar(new CrearReserva('c', id, copiaSolicitud()))).toMatchObject({ ok: false, error: { tipo: 'Conflicto' } });
  });

  it('validarSolicitudReserva no escribe y devuelve la regla', () => {
    expect(validarSolicitudReserva(SOLICITUD_MINIMA)).toEqual({ ok: true, valor: undefined });
    expect(validarSolicitudReserva({ itinerarios: [] })).toMatchObject({ ok: false, error: { regla: 'MinimoUnItinerario' } });
  });

  it('AprobarReserva -> PagarReserva emiten sus eventos con versiones crecientes', async () => {
    const n = nucleo();
    const { id } = await crear(n);
    expect(await n.busComandos.ejecutar(new AprobarReserva('c2', id))).toMatchObject({ ok: true, valor: { estado: 'Aprobada', version: 2 } });
    expect(await n.busComandos.ejecutar(new PagarReserva('c3', id, 2))).toMatchObject({ ok: true, valor: { estado: 'Pagada', version: 3 } });
    expect(n.publicador.publicados.map((m) => [m.type, m.aggregateVersion, m.correlationId])).toEqual([
      ['ReservaCreada', 1, 'corr'],
      ['ReservaAprobada', 2, 'c2'],
      ['ReservaPagada', 3, 'c3'],
    ]);
    const pagada = n.publicador.publicados[2];
    expect(Object.keys(pagada?.payload ?? {})).toEqual(['id_reserva', 'fecha_actualizacion']);
    expect((await n.vista.obtener(id))?.estado).toBe('Pagada');
  });

  it('CancelarReserva desde Pendiente emite ReservaCancelada', async () => {
    const n = nucleo();
    const { id } = await crear(n);
    expect(await n.busComandos.ejecutar(new CancelarReserva('c', id))).toMatchObject({ ok: true, valor: { estado: 'Cancelada' } });
    expect(n.publicador.publicados.map((m) => m.type)).toEqual(['ReservaCreada', 'ReservaCancelada']);
  });

  it('errores esperados: NoEncontrado, TransicionInvalida, ConflictoVersion', async () => {
    const n = nucleo();
    expect(await n.busComandos.ejecutar(new AprobarReserva('c', randomUUID()))).toMatchObject({ ok: false, error: { tipo: 'NoEncontrado' } });
    const { id } = await crear(n);
    expect(await n.busComandos.ejecutar(new PagarReserva('c', id))).toMatchObject({
      ok: false,
      error: { tipo: 'TransicionInvalida', estadoActual: 'Pendiente', accion: 'pagar' },
    });
    expect(await n.busComandos.ejecutar(new AprobarReserva('c', id, 7))).toMatchObject({ ok: false, error: { tipo: 'ConflictoVersion', versionEsperada: 7 } });
    expect(n.reservas.documentos.get(id)?.version).toBe(1);
  });
});

describe('queries (solo modelo de lectura)', () => {
  it('ObtenerReserva lee la vista, no el modelo de escritura', async () => {
    const n = nucleo();
    const { id } = await crear(n);
    n.reservas.documentos.clear(); // the write model is gone: the query still answers
    expect(await n.busQueries.ejecutar(new ObtenerReserva('c', id))).toMatchObject({ ok: true, valor: { id } });
    expect(await n.busQueries.ejecutar(new ObtenerReserva('c', randomUUID()))).toMatchObject({ ok: false, error: { tipo: 'NoEncontrado' } });
  });

  it('listas paginadas por estado', async () => {
    const n = nucleo();
    const r = [await crear(n), await crear(n), await crear(n), await crear(n)];
    await n.busComandos.ejecutar(new CancelarReserva('c', r[0]?.id as string));
    await n.busComandos.ejecutar(new AprobarReserva('c', r[1]?.id as string));
    await n.busComandos.ejecutar(new PagarReserva('c', r[1]?.id as string));
    await n.busComandos.ejecutar(new AprobarReserva('c', r[2]?.id as string));

    const todas = await n.busQueries.ejecutar(new ObtenerTodasReservas('c', { pagina: 1, tamano: 3 }));
    expect(todas).toMatchObject({ ok: true, valor: { pagina: 1, tamano: 3, total: 4 } });
    expect((todas as { valor: { elementos: ReservaDTO[] } }).valor.elementos.map((x) => x.id)).toEqual([r[3]?.id, r[2]?.id, r[1]?.id]);
    const pagadas = await n.busQueries.ejecutar(new ObtenerTodasReservas('c', {}, 'Pagada'));
    expect(pagadas).toMatchObject({ ok: true, valor: { total: 1, tamano: 20, elementos: [{ id: r[1]?.id }] } });
    const canceladas = await n.busQueries.ejecutar(new ObtenerReservasCanceladas('c'));
    expect(canceladas).toMatchObject({ ok: true, valor: { total: 1, elementos: [{ id: r[0]?.id }] } });
    const noPagadas = await n.busQueries.ejecutar(new ObtenerReservasNoPagadas('c'));
    expect((noPagadas as { valor: { elementos: ReservaDTO[] } }).valor.elementos.map((x) => x.estado)).toEqual(['Pendiente', 'Aprobada']);
  });

  it.each([
    [{ pagina: 0 }, 'pagina'],
    [{ tamano: 101 }, 'tamano'],
    [{ tamano: 1.5 }, 'tamano'],
  ])('paginación inválida %p es ReglaNegocio PaginacionValida', async (paginacion, campo) => {
    const n = nucleo();
    expect(await n.busQueries.ejecutar(new ObtenerTodasReservas('c', paginacion))).toMatchObject({
      ok: false,
      error: { tipo: 'ReglaNegocio', regla: 'PaginacionValida', campo },
    });
  });
});
