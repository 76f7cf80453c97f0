import { randomUUID } from 'node:crypto';
import { componerEnMemoria } from '../../../composicion';
import { ObtenerCliente } from '../../cliente/aplicacion/obtener-cliente';
import { ACCIONES_RESERVA, type AccionReserva, ESTADOS_RESERVA, type EstadoReserva } from '../dominio/estado-reserva';
import { Reserva } from '../dominio/reserva';
import { CrearReserva, validarSolicitudReserva } from '../crear-reserva/comando';
import { TransicionarReserva } from './comandos/transicionar-reserva';
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

  it('validarSolicitudReserva no construye ninguna reserva y da la misma regla que el manejador', async () => {
    const crearReserva = jest.spyOn(Reserva, 'crear');
    const rotas = (): [string, (s: ReturnType<typeof copiaSolicitud>) => void][] => [
      ['MinimoUnItinerario', (s) => (s.itinerarios = [])],
      ['RutaValida', (s) => (s.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[0]!.destino.codigo = 'BOG')],
      ['LlegadaPosteriorASalida', (s) => (s.itinerarios[0]!.odos[0]!.segmentos[0]!.legs[0]!.fecha_llegada = '2000-01-01T00:00:00Z')],
      ['MinimoUnAdulto', (s) => (s.pasajeros = [{ clase: 'Economica', tipo: 'Menor' }])],
    ];
    try {
      for (const [regla, romper] of rotas()) {
        const s = copiaSolicitud();
        romper(s);
        const validada = validarSolicitudReserva(s);
        expect(validada).toMatchObject({ ok: false, error: { tipo: 'ReglaNegocio', regla } });
        expect(crearReserva).not.toHaveBeenCalled();
        const manejada = await nucleo().busComandos.ejecutar(new CrearReserva('c', randomUUID(), s));
        expect(manejada).toEqual(validada);
        crearReserva.mockClear();
      }
      expect(validarSolicitudReserva(copiaSolicitud())).toEqual({ ok: true, valor: undefined });
      expect(crearReserva).not.toHaveBeenCalled();
    } finally {
      crearReserva.mockRestore();
    }
  });

  it('TransicionarReserva aprobar -> pagar emiten sus eventos con versiones crecientes', async () => {
    const n = nucleo();
    const { id } = await crear(n);
    expect(await n.busComandos.ejecutar(new TransicionarReserva('c2', id, 'aprobar'))).toMatchObject({ ok: true, valor: { estado: 'Aprobada', version: 2 } });
    expect(await n.busComandos.ejecutar(new TransicionarReserva('c3', id, 'pagar', 2))).toMatchObject({ ok: true, valor: { estado: 'Pagada', version: 3 } });
    expect(n.publicador.publicados.map((m) => [m.type, m.aggregateVersion, m.correlationId])).toEqual([
      ['ReservaCreada', 1, 'corr'],
      ['ReservaAprobada', 2, 'c2'],
      ['ReservaPagada', 3, 'c3'],
    ]);
    const pagada = n.publicador.publicados[2];
    expect(Object.keys(pagada?.payload ?? {})).toEqual(['id_reserva', 'fecha_actualizacion']);
    expect((await n.vista.obtener(id))?.estado).toBe('Pagada');
  });

  it('TransicionarReserva cancelar desde Pendiente emite ReservaCancelada', async () => {
    const n = nucleo();
    const { id } = await crear(n);
    expect(await n.busComandos.ejecutar(new TransicionarReserva('c', id, 'cancelar'))).toMatchObject({ ok: true, valor: { estado: 'Cancelada' } });
    expect(n.publicador.publicados.map((m) => m.type)).toEqual(['ReservaCreada', 'ReservaCancelada']);
  });

  it('errores esperados: NoEncontrado, TransicionInvalida, ConflictoVersion', async () => {
    const n = nucleo();
    expect(await n.busComandos.ejecutar(new TransicionarReserva('c', randomUUID(), 'aprobar'))).toMatchObject({ ok: false, error: { tipo: 'NoEncontrado' } });
    const { id } = await crear(n);
    expect(await n.busComandos.ejecutar(new TransicionarReserva('c', id, 'pagar'))).toMatchObject({
      ok: false,
      error: { tipo: 'TransicionInvalida', estadoActual: 'Pendiente', accion: 'pagar' },
    });
    expect(await n.busComandos.ejecutar(new TransicionarReserva('c', id, 'aprobar', 7))).toMatchObject({ ok: false, error: { tipo: 'ConflictoVersion', versionEsperada: 7 } });
    expect(n.reservas.documentos.get(id)?.version).toBe(1);
  });

  describe('TransicionarReserva: cada acción desde cada estado', () => {
    // The expected machine, written out here independently of the contract's table.
    const DESTINO: Record<string, EstadoReserva> = {
      'Pendiente aprobar': 'Aprobada',
      'Pendiente cancelar': 'Cancelada',
      'Aprobada pagar': 'Pagada',
      'Aprobada cancelar': 'Cancelada',
    };
    const EVENTO: Record<AccionReserva, string> = { aprobar: 'ReservaAprobada', cancelar: 'ReservaCancelada', pagar: 'ReservaPagada' };
    /** The commands that bring a new reserva to each state. */
    const CAMINO: Record<EstadoReserva, AccionReserva[]> = { Pendiente: [], Aprobada: ['aprobar'], Cancelada: ['cancelar'], Pagada: ['aprobar', 'pagar'] };
    const casos = ESTADOS_RESERVA.flatMap((estado) => ACCIONES_RESERVA.map((accion) => [estado, accion] as const));

    it.each(casos)('desde %s, %s', async (estado, accion) => {
      const n = nucleo();
      const { id } = await crear(n);
      for (const paso of CAMINO[estado]) expect(await n.busComandos.ejecutar(new TransicionarReserva('c', id, paso))).toMatchObject({ ok: true });
      const version = 1 + CAMINO[estado].length;
      n.publicador.publicados.length = 0;

      const r = await n.busComandos.ejecutar(new TransicionarReserva('corr-t', id, accion, version));
      const destino = DESTINO[`${estado} ${accion}`];
      if (destino) {
        expect(r).toMatchObject({ ok: true, valor: { id, estado: destino, version: version + 1 } });
        expect(n.publicador.publicados.map((m) => [m.type, m.aggregateVersion, m.correlationId])).toEqual([[EVENTO[accion], version + 1, 'corr-t']]);
      } else {
        expect(r).toEqual({
          ok: false,
          error: { tipo: 'TransicionInvalida', estadoActual: estado, accion, mensaje: `no se puede ${accion} la reserva ${id}: está en estado ${estado}` },
        });
        expect(n.publicador.publicados).toEqual([]);
        expect(n.reservas.documentos.get(id)?.version).toBe(version);
      }
    });
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
    await n.busComandos.ejecutar(new TransicionarReserva('c', r[0]?.id as string, 'cancelar'));
    await n.busComandos.ejecutar(new TransicionarReserva('c', r[1]?.id as string, 'aprobar'));
    await n.busComandos.ejecutar(new TransicionarReserva('c', r[1]?.id as string, 'pagar'));
    await n.busComandos.ejecutar(new TransicionarReserva('c', r[2]?.id as string, 'aprobar'));

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

  it('la profundidad está acotada: pagina × tamano ≤ 10000 (ReglaNegocio ProfundidadPaginaMaxima)', async () => {
    const n = nucleo();
    expect((await n.busQueries.ejecutar(new ObtenerTodasReservas('c', { pagina: 500, tamano: 20 }))).ok).toBe(true);
    expect(await n.busQueries.ejecutar(new ObtenerTodasReservas('c', { pagina: 501, tamano: 20 }))).toMatchObject({
      ok: false,
      error: { tipo: 'ReglaNegocio', regla: 'ProfundidadPaginaMaxima', campo: 'pagina' },
    });
  });
});
