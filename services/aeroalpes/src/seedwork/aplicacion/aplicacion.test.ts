import { AgregadoDuplicadoExcepcion, ConflictoVersionExcepcion, ReglaNegocioExcepcion, TransicionInvalidaExcepcion } from '../dominio/excepciones';
import { BusComandos, Comando, ManejadorComando } from './comandos';
import { esFechaUTC, formatearFechaUTC, parsearFechaUTC, truncarASegundos } from './fechas';
import { BusQueries, ManejadorQuery, Query } from './queries';
import { exito, noEncontrado, Resultado } from './resultado';

class Sumar extends Comando<number> {
  readonly tipo = 'Sumar';
  constructor(
    readonly a: number,
    readonly b: number,
  ) {
    super('corr');
  }
}

class Fallar extends Comando<void> {
  readonly tipo = 'Fallar';
  constructor(readonly error: unknown) {
    super('corr');
  }
}

class Saludo extends Query<string> {
  readonly tipo = 'Saludo';
  constructor(readonly nombre: string) {
    super('corr');
  }
}

const sumar: ManejadorComando<Sumar> = { manejar: async (c) => exito(c.a + c.b) };
const fallar: ManejadorComando<Fallar> = {
  manejar: async (c) => {
    throw c.error;
  },
};
const saludar: ManejadorQuery<Saludo> = {
  manejar: async (q) => (q.nombre ? exito(`hola ${q.nombre}`) : noEncontrado('Persona', '')),
};

describe('BusComandos / BusQueries', () => {
  it('despacha al manejador de la clase y devuelve su resultado tipado', async () => {
    const bus = new BusComandos().registrar(Sumar, sumar);
    const r: Resultado<number> = await bus.ejecutar(new Sumar(2, 3));
    expect(r).toEqual({ ok: true, valor: 5 });
    const queries = new BusQueries().registrar(Saludo, saludar);
    expect(await queries.ejecutar(new Saludo('Ana'))).toEqual({ ok: true, valor: 'hola Ana' });
    expect(await queries.ejecutar(new Saludo(''))).toMatchObject({ ok: false, error: { tipo: 'NoEncontrado' } });
  });

  it('un mensaje sin manejador o un manejador duplicado es un error de programación', async () => {
    const bus = new BusComandos().registrar(Sumar, sumar);
    expect(() => bus.registrar(Sumar, sumar)).toThrow(/ya hay un manejador/);
    await expect(bus.ejecutar(new Fallar(null))).rejects.toThrow(/no hay manejador/);
    expect(bus.registrado(Sumar)).toBe(true);
  });

  it.each([
    [new ReglaNegocioExcepcion('RutaValida', 'iguales', 'legs[0]'), { tipo: 'ReglaNegocio', regla: 'RutaValida', campo: 'legs[0]' }],
    [new TransicionInvalidaExcepcion('Reserva', 'r1', 'Pagada', 'cancelar'), { tipo: 'TransicionInvalida', estadoActual: 'Pagada', accion: 'cancelar' }],
    [new ConflictoVersionExcepcion('r1', 3), { tipo: 'ConflictoVersion', versionEsperada: 3 }],
    [new AgregadoDuplicadoExcepcion('r1'), { tipo: 'Conflicto' }],
  ])('convierte la excepción de dominio esperada %p en un Resultado fallido', async (excepcion, error) => {
    const bus = new BusComandos().registrar(Fallar, fallar);
    expect(await bus.ejecutar(new Fallar(excepcion))).toEqual({ ok: false, error: expect.objectContaining(error) });
  });

  it('no se traga los errores inesperados', async () => {
    const bus = new BusComandos().registrar(Fallar, fallar);
    await expect(bus.ejecutar(new Fallar(new Error('disco lleno')))).rejects.toThrow('disco lleno');
  });
});

describe('fechas UTC del wire', () => {
  it.each(['2022-11-22T13:10:00Z', '2024-02-29T23:59:59Z', '1970-01-01T00:00:00Z'])('acepta %s y la formatea igual', (t) => {
    const f = parsearFechaUTC(t);
    expect(f).toBeInstanceOf(Date);
    expect(formatearFechaUTC(f as Date)).toBe(t);
  });

  it.each([
    '2023-02-29T00:00:00Z',
    '2022-02-30T00:00:00Z',
    '2022-04-31T00:00:00Z',
    '2022-13-01T00:00:00Z',
    '2022-00-01T00:00:00Z',
    '2022-11-22T24:00:00Z',
    '2022-11-22T13:60:00Z',
    '2022-11-22T13:10:60Z',
    '2022-11-22T13:10:00',
    '2022-11-22T13:10:00.000Z',
    '2022-11-22T13:10:00+00:00',
    '2022-11-22 13:10:00Z',
    '1969-12-31T23:59:59Z',
    '',
    ' 2022-11-22T13:10:00Z',
  ])('rechaza %p', (t) => {
    expect(esFechaUTC(t)).toBe(false);
  });

  it('trunca a segundos', () => {
    expect(truncarASegundos(new Date('2024-01-01T00:00:01.999Z')).toISOString()).toBe('2024-01-01T00:00:01.000Z');
    expect(() => formatearFechaUTC(new Date(Number.NaN))).toThrow(RangeError);
  });
});
