import { ReglaNegocioExcepcion, TransicionInvalidaExcepcion } from '../../../seedwork/dominio/excepciones';
import { EstadoReserva, ESTADOS_RESERVA, puedeTransicionar } from './estado-reserva';
import { ReservaAprobada, ReservaCancelada, ReservaCreada, ReservaPagada } from './eventos';
import { Aeropuerto, CodigoIATA, Itinerario, Leg, Odo, Pasajero, Segmento } from './objetos-valor';
import {
  CodigoIATAValido,
  FechaValida,
  LegsConsecutivosConectan,
  LegsConsecutivosEnOrden,
  LlegadaPosteriorASalida,
  MinimoUnAdulto,
  MinimoUnItinerario,
  NombreValido,
  RutaValida,
} from './reglas';
import { Reserva } from './reserva';

const BOG = Aeropuerto.crear({ codigo: 'BOG', nombre: 'El Dorado' });
const JFK = Aeropuerto.crear({ codigo: 'JFK', nombre: 'John F. Kennedy' });
const LAX = Aeropuerto.crear({ codigo: 'LAX', nombre: 'Los Angeles' });
const h = (hora: number) => new Date(Date.UTC(2022, 10, 22, hora));
const leg = (origen: Aeropuerto, destino: Aeropuerto, sale: number, llega: number) => Leg.crear({ origen, destino, fechaSalida: h(sale), fechaLlegada: h(llega) });
const itinerarios = () => [Itinerario.crear([Odo.crear([Segmento.crear([leg(BOG, JFK, 13, 15)])])])];
const T0 = new Date('2024-01-01T00:00:00Z');
const T1 = new Date('2024-01-02T00:00:00Z');

function violacion(fn: () => unknown): ReglaNegocioExcepcion {
  try {
    fn();
  } catch (e) {
    if (e instanceof ReglaNegocioExcepcion) return e;
    throw e;
  }
  throw new Error('no se violó ninguna regla');
}

describe('reglas', () => {
  it('MinimoUnItinerario', () => {
    expect(new MinimoUnItinerario([]).esValido()).toBe(false);
    expect(new MinimoUnItinerario(undefined).esValido()).toBe(false);
    expect(new MinimoUnItinerario(itinerarios()).esValido()).toBe(true);
  });

  it('RutaValida: origen distinto de destino', () => {
    expect(new RutaValida(BOG, JFK, 'x').esValido()).toBe(true);
    expect(new RutaValida(BOG, Aeropuerto.crear({ codigo: 'BOG', nombre: 'Otro nombre' }), 'x').esValido()).toBe(false);
  });

  it('LlegadaPosteriorASalida es estricta', () => {
    expect(new LlegadaPosteriorASalida(h(13), h(15), 'x').esValido()).toBe(true);
    expect(new LlegadaPosteriorASalida(h(13), h(13), 'x').esValido()).toBe(false);
    expect(new LlegadaPosteriorASalida(h(15), h(13), 'x').esValido()).toBe(false);
  });

  it('LegsConsecutivosConectan y LegsConsecutivosEnOrden', () => {
    const a = leg(BOG, JFK, 13, 15);
    expect(new LegsConsecutivosConectan(a, leg(JFK, LAX, 17, 23), 'x').esValido()).toBe(true);
    expect(new LegsConsecutivosConectan(a, leg(LAX, BOG, 17, 23), 'x').esValido()).toBe(false);
    expect(new LegsConsecutivosEnOrden(a, leg(JFK, LAX, 15, 23), 'x').esValido()).toBe(true);
    expect(new LegsConsecutivosEnOrden(a, leg(JFK, LAX, 14, 23), 'x').esValido()).toBe(false);
  });

  it('CodigoIATAValido, NombreValido, FechaValida', () => {
    for (const bueno of ['BOG', 'JFK']) expect(new CodigoIATAValido(bueno, 'c').esValido()).toBe(true);
    for (const malo of ['bog', 'BO', 'BOGO', 'B0G', '', 12, null, 'ÑAN']) expect(new CodigoIATAValido(malo, 'c').esValido()).toBe(false);
    expect(new NombreValido('El Dorado', 'n').esValido()).toBe(true);
    for (const malo of ['', '   ', 'x'.repeat(201), 5]) expect(new NombreValido(malo, 'n').esValido()).toBe(false);
    expect(new FechaValida(new Date(Number.NaN), 'f').esValido()).toBe(false);
    expect(new FechaValida('2022-01-01', 'f').esValido()).toBe(false);
  });

  it('MinimoUnAdulto cuando hay pasajeros', () => {
    const adulto = Pasajero.crear({ clase: 'Economica', tipo: 'Adulto' });
    const menor = Pasajero.crear({ clase: 'Premium', tipo: 'Menor' });
    expect(new MinimoUnAdulto([menor, adulto]).esValido()).toBe(true);
    expect(new MinimoUnAdulto([menor]).esValido()).toBe(false);
    expect(new MinimoUnAdulto([]).esValido()).toBe(false);
  });
});

describe('objetos valor', () => {
  it('validan al crearse y nombran el campo', () => {
    expect(violacion(() => CodigoIATA.crear('bog', 'x.codigo'))).toMatchObject({ regla: 'CodigoIATAValido', campo: 'x.codigo' });
    expect(violacion(() => Aeropuerto.crear({ codigo: 'BOG', nombre: ' ' }, 'legs[0].origen'))).toMatchObject({
      regla: 'NombreValido',
      campo: 'legs[0].origen.nombre',
    });
    expect(violacion(() => Leg.crear({ origen: BOG, destino: BOG, fechaSalida: h(1), fechaLlegada: h(2) }, 'legs[0]'))).toMatchObject({
      regla: 'RutaValida',
      campo: 'legs[0].destino.codigo',
    });
    expect(violacion(() => Leg.crear({ origen: BOG, destino: JFK, fechaSalida: h(2), fechaLlegada: h(1) }, 'legs[0]'))).toMatchObject({
      regla: 'LlegadaPosteriorASalida',
      campo: 'legs[0].fecha_llegada',
    });
    expect(violacion(() => Segmento.crear([leg(BOG, JFK, 13, 15), leg(LAX, BOG, 17, 20)], 's'))).toMatchObject({
      regla: 'LegsConsecutivosConectan',
      campo: 's.legs[1].origen.codigo',
    });
    expect(violacion(() => Segmento.crear([leg(BOG, JFK, 13, 15), leg(JFK, LAX, 14, 20)], 's'))).toMatchObject({
      regla: 'LegsConsecutivosEnOrden',
      campo: 's.legs[1].fecha_salida',
    });
    expect(violacion(() => Segmento.crear([], 's'))).toMatchObject({ regla: 'MinimoUnLeg', campo: 's.legs' });
    expect(violacion(() => Odo.crear([], 'o'))).toMatchObject({ regla: 'MinimoUnSegmento', campo: 'o.segmentos' });
    expect(violacion(() => Itinerario.crear([], 'i'))).toMatchObject({ regla: 'MinimoUnOdo', campo: 'i.odos' });
    expect(violacion(() => Pasajero.crear({ clase: 'Turista', tipo: 'Adulto' }, 'p[0]'))).toMatchObject({ campo: 'p[0].clase' });
  });

  it('un segmento de dos legs encadenados es válido y tiene origen y destino', () => {
    const s = Segmento.crear([leg(BOG, JFK, 13, 15), leg(JFK, LAX, 17, 23)]);
    expect(s.origen.codigo).toBe('BOG');
    expect(s.destino.codigo).toBe('LAX');
  });

  it('son iguales por valor y no exponen fechas mutables', () => {
    expect(leg(BOG, JFK, 13, 15).igual(leg(Aeropuerto.crear({ codigo: 'BOG', nombre: 'El Dorado' }), JFK, 13, 15))).toBe(true);
    expect(leg(BOG, JFK, 13, 15).igual(leg(BOG, JFK, 13, 16))).toBe(false);
    const l = leg(BOG, JFK, 13, 15);
    l.fechaSalida.setUTCFullYear(1999);
    expect(l.fechaSalida.getUTCFullYear()).toBe(2022);
  });
});

describe('Reserva', () => {
  const crear = (idCliente?: string) => Reserva.crear({ id: 'r1', idCliente, itinerarios: itinerarios(), ahora: T0 });

  it('se crea Pendiente, con fechas iguales, versión 0 y el evento ReservaCreada', () => {
    const r = crear('c1');
    expect(r).toMatchObject({ id: 'r1', idCliente: 'c1', estado: 'Pendiente', version: 0 });
    expect(r.fechaCreacion).toEqual(T0);
    expect(r.fechaActualizacion).toEqual(T0);
    const [evento] = r.extraerEventos();
    expect(evento).toBeInstanceOf(ReservaCreada);
    expect(evento).toMatchObject({ idReserva: 'r1', idCliente: 'c1', estado: 'Pendiente', fechaCreacion: T0 });
  });

  it('exige al menos un itinerario y, si hay pasajeros, un adulto', () => {
    expect(violacion(() => Reserva.crear({ id: 'r', itinerarios: [], ahora: T0 }))).toMatchObject({ regla: 'MinimoUnItinerario', campo: 'itinerarios' });
    expect(violacion(() => Reserva.crear({ id: 'r', itinerarios: itinerarios(), pasajeros: [Pasajero.crear({ clase: 'Primera', tipo: 'Infante' })], ahora: T0 }))).toMatchObject({
      regla: 'MinimoUnAdulto',
      campo: 'pasajeros',
    });
    expect(Reserva.crear({ id: 'r', itinerarios: itinerarios(), pasajeros: [Pasajero.crear({ clase: 'Primera', tipo: 'Adulto' })], ahora: T0 }).pasajeros).toHaveLength(1);
  });

  it('reconstruir no emite eventos y exige versión >= 1', () => {
    const props = { estado: EstadoReserva.Aprobada, fechaCreacion: T0, fechaActualizacion: T1, itinerarios: itinerarios() };
    const r = Reserva.reconstruir('r1', props, 4);
    expect(r.eventos).toEqual([]);
    expect(r.version).toBe(4);
    expect(() => Reserva.reconstruir('r1', props, 0)).toThrow();
  });

  type Accion = 'aprobar' | 'cancelar' | 'pagar';
  const DESTINO: Record<Accion, EstadoReserva> = { aprobar: 'Aprobada', cancelar: 'Cancelada', pagar: 'Pagada' };
  const EVENTO = { aprobar: ReservaAprobada, cancelar: ReservaCancelada, pagar: ReservaPagada };
  const PERMITIDAS: [EstadoReserva, Accion][] = [
    ['Pendiente', 'aprobar'],
    ['Pendiente', 'cancelar'],
    ['Aprobada', 'pagar'],
    ['Aprobada', 'cancelar'],
  ];
  const todas = ESTADOS_RESERVA.flatMap((estado) => (['aprobar', 'cancelar', 'pagar'] as Accion[]).map((accion) => [estado, accion] as [EstadoReserva, Accion]));
  const enEstado = (estado: EstadoReserva) => Reserva.reconstruir('r1', { estado, fechaCreacion: T0, fechaActualizacion: T0, itinerarios: itinerarios() }, 1);

  it.each(PERMITIDAS)('desde %s se puede %s', (estado, accion) => {
    const r = enEstado(estado);
    r[accion](T1);
    expect(r.estado).toBe(DESTINO[accion]);
    expect(r.fechaActualizacion).toEqual(T1);
    expect(r.fechaCreacion).toEqual(T0);
    const eventos = r.extraerEventos();
    expect(eventos).toHaveLength(1);
    expect(eventos[0]).toBeInstanceOf(EVENTO[accion]);
    expect(eventos[0]).toMatchObject({ idReserva: 'r1', fechaActualizacion: T1 });
    expect(puedeTransicionar(estado, DESTINO[accion])).toBe(true);
  });

  it.each(todas.filter(([e, a]) => !PERMITIDAS.some(([pe, pa]) => pe === e && pa === a)))('desde %s NO se puede %s', (estado, accion) => {
    const r = enEstado(estado);
    expect(() => r[accion](T1)).toThrow(TransicionInvalidaExcepcion);
    try {
      r[accion](T1);
    } catch (e) {
      expect(e).toMatchObject({ estadoActual: estado, accion });
    }
    expect(r.estado).toBe(estado);
    expect(r.eventos).toEqual([]);
    expect(r.fechaActualizacion).toEqual(T0);
  });

  it('nada sale de Cancelada ni de Pagada', () => {
    for (const final of ['Cancelada', 'Pagada'] as const) {
      for (const otro of ESTADOS_RESERVA) expect(puedeTransicionar(final, otro)).toBe(false);
    }
  });

  it('la fecha de actualización nunca queda antes de la de creación', () => {
    const r = enEstado('Pendiente');
    r.aprobar(new Date('2000-01-01T00:00:00Z'));
    expect(r.fechaActualizacion).toEqual(T0);
  });
});
