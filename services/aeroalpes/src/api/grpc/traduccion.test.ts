import fs from 'node:fs';
import path from 'node:path';
import { SOLICITUD_DOS_LEGS, SOLICITUD_MINIMA } from '../../modulos/vuelos/aplicacion/ejemplos';
import { camposSoloSalida, ErrorSolicitud, reservaAProto, reservaARest, reservaProtoAJson, solicitudAProto, textoATimestamp, timestampATexto } from './traduccion';

const EJEMPLOS = path.resolve(__dirname, '../../../../../examples');
const leer = (archivo: string): unknown => JSON.parse(fs.readFileSync(path.join(EJEMPLOS, archivo), 'utf8'));

describe('Timestamp <-> texto REST', () => {
  it.each([
    [{ seconds: '1669122600', nanos: 0 }, '2022-11-22T13:10:00Z'],
    [{ seconds: 1669122600, nanos: 0 }, '2022-11-22T13:10:00Z'],
    [{ seconds: '0', nanos: 0 }, '1970-01-01T00:00:00Z'],
    // Not REST dates: the shared validator rejects them (format), naming the field.
    [{ seconds: '1669122600', nanos: 500_000_000 }, '2022-11-22T13:10:00.500000000Z'],
    [{ seconds: '-1', nanos: 0 }, '1969-12-31T23:59:59Z'],
    [{ seconds: '1669122600', nanos: -3 }, '2022-11-22T13:10:00Z(nanos=-3)'],
    [{ seconds: '99999999999999999999', nanos: 0 }, 'Timestamp(seconds=99999999999999999999)'],
    [{ seconds: '253402300800', nanos: 0 }, '+010000-01-01T00:00:00Z'],
  ])('%o -> %s', (ts, texto) => {
    expect(timestampATexto(ts)).toBe(texto);
  });

  it.each([
    ['2022-11-22T13:10:00Z', { seconds: '1669122600', nanos: 0 }],
    ['2022-11-22T13:10:00.5Z', { seconds: '1669122600', nanos: 500_000_000 }],
    ['1969-12-31T23:59:59Z', { seconds: '-1', nanos: 0 }],
    ['2024-02-29T00:00:00Z', { seconds: String(Date.parse('2024-02-29T00:00:00Z') / 1000), nanos: 0 }],
  ])('%s -> %o', (texto, ts) => {
    expect(textoATimestamp(texto)).toEqual(ts);
  });

  it.each(['2023-02-30T00:00:00Z', '2022-11-22T24:00:00Z', '2022-11-22 13:10:00', '2022-11-22T13:10:00+01:00', '2022-11-22', ''])('no es un instante UTC real: %p', (texto) => {
    expect(textoATimestamp(texto)).toBeUndefined();
  });

  it('ida y vuelta exacta para fechas REST', () => {
    for (let ms = 0; ms < 4102444800000; ms += 7_777_777_000) {
      const texto = new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
      expect(timestampATexto(textoATimestamp(texto)!)).toBe(texto);
    }
  });
});

describe('Reserva gRPC <-> forma REST', () => {
  it.each(['reserva.json', 'reserva-dos-legs.json'])('examples/%s: a proto y de vuelta da el mismo JSON', (archivo) => {
    const json = leer(archivo);
    const { reserva, ignorados } = solicitudAProto(json);
    expect(ignorados).toEqual([]);
    expect(reservaARest(reserva)).toEqual(json);
    expect(reservaProtoAJson(reserva)).toEqual(json);
  });

  it('los ejemplos son los del contrato (BOG->JFK; BOG->JFK->LAX)', () => {
    expect(leer('reserva.json')).toEqual(SOLICITUD_MINIMA);
    expect(leer('reserva-dos-legs.json')).toEqual(SOLICITUD_DOS_LEGS);
  });

  it('lo que falta en el proto falta en el JSON (el validador lo nombra como obligatorio)', () => {
    expect(
      reservaARest({
        itinerarios: [{ odos: [{ segmentos: [{ legs: [{ fecha_salida: null, fecha_llegada: null, destino: null, origen: { codigo: 'BOG', nombre: '' } }] }] }] }],
      }),
    ).toEqual({ itinerarios: [{ odos: [{ segmentos: [{ legs: [{ origen: { codigo: 'BOG', nombre: '' } }] }] }] }] });
    expect(reservaARest({} as never)).toEqual({ itinerarios: [] });
  });

  it('reservaAProto: id y fechas del documento; ni estado ni version (no están en el contrato)', () => {
    const proto = reservaAProto({
      id: 'f3e1c1de-8a0b-4c55-9d7e-111111111111',
      estado: 'Pendiente',
      fecha_creacion: '2024-03-01T10:20:30Z',
      fecha_actualizacion: '2024-03-02T10:20:30Z',
      version: 1,
      itinerarios: SOLICITUD_MINIMA.itinerarios,
    });
    expect(proto).toEqual({
      id: 'f3e1c1de-8a0b-4c55-9d7e-111111111111',
      fecha_creacion: { seconds: '1709288430', nanos: 0 },
      fecha_actualizacion: { seconds: '1709374830', nanos: 0 },
      itinerarios: solicitudAProto(SOLICITUD_MINIMA).reserva.itinerarios,
    });
    expect(reservaProtoAJson(proto)).toEqual({
      id: 'f3e1c1de-8a0b-4c55-9d7e-111111111111',
      fecha_creacion: '2024-03-01T10:20:30Z',
      fecha_actualizacion: '2024-03-02T10:20:30Z',
      itinerarios: SOLICITUD_MINIMA.itinerarios,
    });
  });

  it('camposSoloSalida lista lo que asigna el servidor', () => {
    expect(camposSoloSalida({ itinerarios: [{ odos: [] }] })).toEqual([]);
    expect(camposSoloSalida({ id: '', fecha_creacion: { seconds: 1, nanos: 0 }, itinerarios: [{ odos: [] }, { id: 'x', odos: [] }] })).toEqual([
      'id',
      'fecha_creacion',
      'itinerarios[1].id',
    ]);
  });
});

describe('solicitudAProto (cliente)', () => {
  it('campos fuera del contrato gRPC: se informan como ignorados', () => {
    const { ignorados } = solicitudAProto({ ...SOLICITUD_MINIMA, id_cliente: 'x', pasajeros: [], id: 'y' });
    expect(ignorados).toEqual(['id_cliente', 'pasajeros', 'id']);
  });

  it('deja sin poner lo que falta: el servidor lo nombra', () => {
    const { reserva } = solicitudAProto({ itinerarios: [{ odos: [{ segmentos: [{ legs: [{}] }] }] }] });
    expect(reserva.itinerarios[0]?.odos[0]?.segmentos[0]?.legs[0]).toEqual({
      fecha_salida: null,
      fecha_llegada: null,
      destino: null,
      origen: null,
    });
    expect(solicitudAProto({}).reserva).toEqual({ itinerarios: [] });
  });

  it.each([
    [[], '(cuerpo)'],
    [{ itinerarios: {} }, 'itinerarios'],
    [{ itinerarios: [{ odos: 'x' }] }, 'itinerarios[0].odos'],
    [{ itinerarios: [{ odos: [{ segmentos: [{ legs: [{ fecha_salida: '2023-02-30T00:00:00Z' }] }] }] }] }, 'itinerarios[0].odos[0].segmentos[0].legs[0].fecha_salida'],
    [{ itinerarios: [{ odos: [{ segmentos: [{ legs: [{ origen: { codigo: 7 } }] }] }] }] }, 'itinerarios[0].odos[0].segmentos[0].legs[0].origen.codigo'],
    [{ itinerarios: [{ odos: [{ segmentos: [{ legs: ['BOG'] }] }] }] }, 'itinerarios[0].odos[0].segmentos[0].legs[0]'],
  ])('lo que el proto no puede llevar: error que nombra el campo (%j)', (json, campo) => {
    expect(() => solicitudAProto(json)).toThrow(ErrorSolicitud);
    try {
      solicitudAProto(json);
    } catch (error) {
      expect((error as ErrorSolicitud).campo).toBe(campo);
    }
  });
});
