import { ejemploEventoReserva, type TipoEventoReserva } from '@aeroalpes/contratos';
import { AlmacenMemoria, loggerEnMemoria } from '@aeroalpes/comun';
import { aEventoUi, conAcciones, type EventoUi } from './evento-ui';
import { CLAVE_RECIENTES, claveEvento, HistorialEventos } from './historial';

const ID = '6c1e3c9e-4f0b-4b8e-9b1a-2f7d1a0c5e11';

function evento(tipo: TipoEventoReserva, id: string, version: number, idReserva = ID): EventoUi {
  const data = ejemploEventoReserva(tipo, { id_mensaje: id, version_agregado: version, id_reserva: idReserva, time: Date.UTC(2024, 0, 1, 0, 0, version) });
  return aEventoUi({ id, type: tipo, topic: 'eventos-reserva', data, evento: {} });
}

describe('aEventoUi', () => {
  it('toma id de mensaje, tipo, reserva, estado (con sus acciones), motivo, hora UTC y versión', () => {
    const creada = ejemploEventoReserva('ReservaCreada', { id_reserva: ID.toUpperCase() });
    expect(aEventoUi({ id: 'ce-1', type: 'ReservaCreada', topic: 't', data: creada, evento: {} })).toEqual({
      id_mensaje: 'ce-1',
      tipo: 'ReservaCreada',
      id_reserva: ID,
      estado: 'Pendiente',
      acciones: ['aprobar', 'cancelar'],
      time: new Date(creada.time).toISOString(),
      version: 1,
      id_correlacion: 'corr-1',
    });
    const rechazada = ejemploEventoReserva('ReservaRechazada', { time: 0, id_correlacion: '' });
    const ui = aEventoUi({ id: 'ce-2', type: 'ReservaRechazada', topic: 't', time: '2024-05-01T10:00:00Z', data: rechazada, evento: {} });
    expect(ui).toMatchObject({ estado: 'Rechazada', acciones: [], motivo: rechazada.motivo, version: 0, time: '2024-05-01T10:00:00.000Z' });
    expect(ui.id_correlacion).toBeUndefined();
    const pagada = ejemploEventoReserva('ReservaPagada', { time: 0 });
    expect(aEventoUi({ id: 'ce-3', type: 'ReservaPagada', topic: 't', data: pagada, evento: {} })).toMatchObject({
      estado: 'Pagada',
      acciones: [],
      time: new Date(pagada.fecha_actualizacion).toISOString(),
    });
  });
});

describe('acciones de cada evento que cambia el estado', () => {
  it.each([
    ['ReservaCreada', 'Pendiente', ['aprobar', 'cancelar']],
    ['ReservaAprobada', 'Aprobada', ['pagar', 'cancelar']],
    ['ReservaCancelada', 'Cancelada', []],
    ['ReservaPagada', 'Pagada', []],
    ['ReservaRechazada', 'Rechazada', []],
  ] as const)('%s -> %s, acciones %j', (tipo, estado, acciones) => {
    expect(evento(tipo, 'm', 1)).toMatchObject({ estado, acciones });
  });

  it('conAcciones completa un evento guardado antes de que llevaran acciones', () => {
    const { acciones: _ignoradas, ...viejo } = evento('ReservaAprobada', 'm2', 2);
    expect(conAcciones(viejo)).toEqual({ ...viejo, acciones: ['pagar', 'cancelar'] });
  });
});

describe('HistorialEventos: una clave por (reserva, versión), escrita first-write', () => {
  const crear = (almacen = new AlmacenMemoria(), maximoRecientes = 100) => ({
    almacen,
    historial: new HistorialEventos(almacen, { maximoRecientes }, loggerEnMemoria()),
  });
  const tipos = (rs: { tipo: string }[]) => rs.map((r) => r.tipo);

  it('registra con UNA operación de estado por evento, una vez por id de mensaje, y lee en orden de versión', async () => {
    const { historial, almacen } = crear();
    expect(tipos(await historial.registrar([evento('ReservaAprobada', 'm2', 2)]))).toEqual(['nuevo']);
    expect(tipos(await historial.registrar([evento('ReservaCreada', 'm1', 1)]))).toEqual(['nuevo']);
    expect({ transacciones: almacen.transacciones, lecturas: almacen.lecturas }).toEqual({ transacciones: 2, lecturas: 0 });
    expect(tipos(await historial.registrar([evento('ReservaAprobada', 'm2', 2)]))).toEqual(['repetido']);
    expect(almacen.datos.has(claveEvento(ID, 2))).toBe(true);
    expect((await historial.deReserva(ID)).map((e) => e.id_mensaje)).toEqual(['m1', 'm2']);
    expect((await historial.recientes()).map((e) => e.id_mensaje)).toEqual(['m1', 'm2']);
  });

  it('un lote en una transacción: nuevos, repetidos (también dentro del lote), otro id en una versión ocupada y una versión fuera de rango', async () => {
    const { historial, almacen } = crear();
    await historial.registrar([evento('ReservaCreada', 'm1', 1)]);
    const resultado = await historial.registrar([
      evento('ReservaAprobada', 'm2', 2),
      evento('ReservaCreada', 'm1', 1),
      evento('ReservaAprobada', 'm2', 2),
      evento('ReservaCreada', 'intruso', 1),
      evento('ReservaPagada', 'lejos', 40),
    ]);
    expect(resultado).toEqual([
      { tipo: 'nuevo' },
      { tipo: 'repetido' },
      { tipo: 'repetido' },
      { tipo: 'conflicto', previo: expect.objectContaining({ id_mensaje: 'm1' }) },
      { tipo: 'invalido', motivo: expect.any(String) },
    ]);
    expect((await historial.deReserva(ID)).map((e) => e.id_mensaje)).toEqual(['m1', 'm2']);
    // The recent list gets only what is new, once.
    expect((await historial.recientes()).map((e) => e.id_mensaje)).toEqual(['m1', 'm2']);
    expect(almacen.transacciones).toBe(3); // the first event, the batch's conflicting try, its retry of the new one
  });

  it('no pierde ninguno con entregas concurrentes de la misma reserva: versiones distintas nunca chocan', async () => {
    const { historial } = crear();
    const eventos = [evento('ReservaCreada', 'c', 1), evento('ReservaAprobada', 'a', 2), evento('ReservaPagada', 'p', 3), evento('ReservaCancelada', 'x', 4)];
    const resultados = await Promise.all([...eventos, ...eventos].map((e) => historial.registrar([e])));
    expect(resultados.flat().filter((r) => r.tipo === 'nuevo')).toHaveLength(4);
    expect(resultados.flat().filter((r) => r.tipo === 'repetido')).toHaveLength(4);
    expect((await historial.deReserva(ID)).map((e) => e.id_mensaje)).toEqual(['c', 'a', 'p', 'x']);
  });

  it('acota la lista de recientes y lee varios historiales de una vez', async () => {
    const { historial } = crear(new AlmacenMemoria(), 3);
    const otra = '9b2d7c1e-5a4f-4e3b-8c2d-1f0e9a8b7c6d';
    for (let i = 1; i <= 5; i++) await historial.registrar([evento('ReservaCreada', `m${i}`, i, i % 2 ? ID : otra)]);
    expect((await historial.recientes()).map((e) => e.id_mensaje)).toEqual(['m3', 'm4', 'm5']);
    const varios = await historial.deReservas([ID, otra, '00000000-0000-4000-8000-000000000000']);
    expect([...varios.entries()].map(([k, v]) => [k, v.map((e) => e.id_mensaje)])).toEqual([
      [ID, ['m1', 'm3', 'm5']],
      [otra, ['m2', 'm4']],
      ['00000000-0000-4000-8000-000000000000', []],
    ]);
  });

  it('un fallo del índice de recientes no impide registrar ni se pierde; un fallo del historial se propaga', async () => {
    const almacen = new AlmacenMemoria();
    const { historial } = crear(almacen);
    const transaccion = almacen.transaccion.bind(almacen);
    let caido = true;
    almacen.transaccion = async (ops) => {
      if (caido && ops[0]?.clave === CLAVE_RECIENTES) throw new Error('caído');
      return transaccion(ops);
    };
    expect(await historial.registrar([evento('ReservaCreada', 'm1', 1)])).toEqual([{ tipo: 'nuevo' }]);
    expect(almacen.datos.has(claveEvento(ID, 1))).toBe(true);
    await historial.vaciarRecientes(); // fails inside, logged, kept for the next batch
    expect(almacen.datos.has(CLAVE_RECIENTES)).toBe(false);
    expect((await historial.recientes()).map((e) => e.id_mensaje)).toEqual(['m1']);
    caido = false;
    await historial.registrar([evento('ReservaAprobada', 'm2', 2)]);
    await historial.vaciarRecientes();
    expect((await almacen.leer<EventoUi[]>(CLAVE_RECIENTES)).valor?.map((e) => e.id_mensaje)).toEqual(['m1', 'm2']);

    almacen.fallar = true;
    await expect(historial.registrar([evento('ReservaPagada', 'm3', 3)])).rejects.toThrow('no disponible');
  });

  it('escribe los recientes por lotes: muchas entregas concurrentes, pocas escrituras de esa clave', async () => {
    const almacen = new AlmacenMemoria();
    const historial = new HistorialEventos(almacen, { maximoRecientes: 100, intervaloRecientesMs: 20 }, loggerEnMemoria());
    let escrituras = 0;
    const transaccion = almacen.transaccion.bind(almacen);
    almacen.transaccion = async (ops) => {
      if (ops[0]?.clave === CLAVE_RECIENTES) escrituras++;
      return transaccion(ops);
    };
    const ids = Array.from({ length: 40 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    await Promise.all(ids.map((idReserva, i) => historial.registrar([evento('ReservaCreada', `m${i}`, 1, idReserva)])));
    await new Promise((r) => setTimeout(r, 60)); // the timer's batch
    await historial.vaciarRecientes();
    const guardados = (await almacen.leer<EventoUi[]>(CLAVE_RECIENTES)).valor ?? [];
    expect(guardados).toHaveLength(40);
    expect(escrituras).toBeLessThanOrEqual(2);
  });
});
