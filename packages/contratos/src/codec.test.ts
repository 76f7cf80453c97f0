import { Type } from 'avsc';
import fixture from './dapr-pulsar.fixture.json';
import {
  ErrorContrato,
  TIPOS_EVENTO_RESERVA,
  codificar,
  codificarCloudEvent,
  crearEventoReserva,
  decodificar,
  decodificarCloudEvent,
  ejemploComandoCrearReserva,
  ejemploEventoReserva,
  ejemploPayloadEvento,
  metadatosPublicacion,
  payloadDeEvento,
  tipoAvro,
  validarComandoCrearReserva,
  validarEventoReserva,
  type CloudEventAvro,
  type ComandoCrearReservaPayload,
  type EventoReservaPayload,
} from './index';

const deHex = (hex: string) => Buffer.from(hex, 'hex');

describe('codificar / decodificar the data record', () => {
  it.each(TIPOS_EVENTO_RESERVA)('%s round-trips through Avro binary and still validates', (tipo) => {
    const evento = ejemploEventoReserva(tipo);
    const vuelta = decodificar<EventoReservaPayload>('eventos-reserva', codificar('eventos-reserva', evento));
    expect(vuelta).toEqual(evento);
    expect(Object.getPrototypeOf(vuelta)).toBe(Object.prototype);
    expect(validarEventoReserva(tipo, vuelta)).toEqual([]);
    expect(payloadDeEvento(tipo, vuelta)).toEqual(ejemploPayloadEvento(tipo));
  });

  it('ComandoCrearReserva round-trips with its nested itinerarios', () => {
    const comando = ejemploComandoCrearReserva();
    const vuelta = decodificar<ComandoCrearReservaPayload>('comandos-reserva', codificar('comandos-reserva', comando));
    expect(vuelta).toEqual(comando);
    expect(validarComandoCrearReserva(vuelta)).toEqual([]);
  });

  it('fills defaults for missing fields, like Dapr does', () => {
    const parcial = { id_mensaje: 'm-1', id_reserva: 'r-1', fecha_actualizacion: 5 };
    expect(decodificar('eventos-reserva', codificar('eventos-reserva', parcial))).toEqual(
      crearEventoReserva('ReservaAprobada', { id_reserva: 'r-1', fecha_actualizacion: 5 }, { id_mensaje: 'm-1' }),
    );
    const sinLocaciones = { id_reserva: 'r', itinerarios: [{ odos: [{ segmentos: [{ legs: [{ fecha_salida: 1 }] }] }] }] };
    const leg = decodificar<ComandoCrearReservaPayload>('comandos-reserva', codificar('comandos-reserva', sinLocaciones)).itinerarios[0]?.odos[0]?.segmentos[0]?.legs[0];
    expect(leg).toEqual({ fecha_salida: 1, fecha_llegada: 0, origen: { codigo: '', nombre: '' }, destino: { codigo: '', nombre: '' } });
  });

  it('refuses to encode a value outside the schema, naming every field', () => {
    const malo = { ...ejemploEventoReserva('ReservaCreada'), fecha_creacion: '2022', otro: true };
    expect(() => codificar('eventos-reserva', malo)).toThrow(ErrorContrato);
    try {
      codificar('eventos-reserva', malo);
    } catch (error) {
      expect((error as ErrorContrato).errores.map((e) => e.campo)).toEqual(['fecha_creacion', 'otro']);
      expect((error as Error).message).toMatch(/^el valor no cumple el esquema v1 de eventos-reserva: fecha_creacion: .*; otro: /);
    }
    expect(() => codificar('comandos-reserva', [])).toThrow(ErrorContrato);
  });

  it('refuses bytes that are not a v1 record', () => {
    expect(() => decodificar('eventos-reserva', Buffer.from([0xff, 0xff, 0xff]))).toThrow(ErrorContrato);
    const bueno = codificar('eventos-reserva', ejemploEventoReserva('ReservaPagada'));
    expect(() => decodificar('eventos-reserva', Buffer.concat([bueno, Buffer.from([1])]))).toThrow(/bytes que no son un mensaje v1 de eventos-reserva/);
    expect(() => decodificar('eventos-reserva', new Uint8Array(bueno))).not.toThrow();
  });

  it('the encoding is the schema, not a JSON guess: a record of another topic does not decode as this one', () => {
    const comando = codificar('comandos-reserva', ejemploComandoCrearReserva());
    expect(() => decodificar('eventos-reserva', comando)).toThrow(ErrorContrato);
  });
});

describe('the CloudEvent envelope on the wire (Dapr 1.18 Pulsar component)', () => {
  // The fixture was captured under the first version of v1 (before ReservaCreada carried
  // itinerarios and pasajeros): its bytes are read with that registered schema, as Pulsar readers do.
  const escritor = fixture.esquemaRegistrado['eventos-reserva'];
  const AGREGADOS_DESDE_LA_CAPTURA = { itinerarios: [], pasajeros: [] };

  it('the current v1 cannot read those bytes as if it had written them: the writer schema is needed', () => {
    expect(() => decodificarCloudEvent('eventos-reserva', deHex(fixture.bytes.eventoCompleto))).toThrow(ErrorContrato);
  });

  it('decodes the bytes Dapr wrote for a ReservaCreada into the JSON Dapr delivers, added fields at their defaults', () => {
    const ce = decodificarCloudEvent<EventoReservaPayload>('eventos-reserva', deHex(fixture.bytes.eventoCompleto), escritor);
    const entregado = JSON.parse(JSON.stringify(fixture.entregado.eventoCompleto));
    expect(ce).toEqual({ ...entregado, data: { ...entregado.data, ...AGREGADOS_DESDE_LA_CAPTURA } });
    expect(ce.type).toBe('ReservaCreada');
    expect(validarEventoReserva(ce.type, ce.data)).toEqual([]);
  });

  it('decodes Dapr bytes of an empty data record into every default', () => {
    const ce = decodificarCloudEvent<EventoReservaPayload>('eventos-reserva', deHex(fixture.bytes.eventoVacio), escritor);
    expect(ce.data).toEqual(crearEventoReserva('ReservaAprobada', { id_reserva: '', fecha_actualizacion: 0 }, { id_mensaje: '' }));
  });

  it('decodes Dapr bytes of a ComandoCrearReserva (hamba writes array blocks with byte sizes)', () => {
    const ce = decodificarCloudEvent<ComandoCrearReservaPayload>('comandos-reserva', deHex(fixture.bytes.comandoCompleto), fixture.esquemaRegistrado['comandos-reserva']);
    expect(ce.type).toBe('ComandoCrearReserva');
    expect(validarComandoCrearReserva(ce.data)).toEqual([]);
    expect(ce.data?.itinerarios[0]?.odos[0]?.segmentos[0]?.legs[0]?.origen).toEqual({ codigo: 'BOG', nombre: 'El Dorado' });
  });

  it('encodes a CloudEvent that decodes back, nullable attributes defaulting to null', () => {
    const data = ejemploEventoReserva('ReservaCancelada');
    const evento: CloudEventAvro<EventoReservaPayload> = {
      id: data.id_mensaje,
      source: 'aeroalpes',
      specversion: '1.0',
      type: 'ReservaCancelada',
      datacontenttype: 'application/json',
      data,
    };
    const bytes = codificarCloudEvent('eventos-reserva', evento);
    const vuelta = decodificarCloudEvent('eventos-reserva', bytes);
    expect(vuelta).toEqual({
      ...evento,
      subject: null,
      time: null,
      topic: null,
      pubsubname: null,
      traceid: null,
      traceparent: null,
      tracestate: null,
      expiration: null,
      data_base64: null,
    });
    // Our encoding of the same event, with the schema Dapr wrote it under, is byte-identical to Dapr's.
    const deDapr = decodificarCloudEvent<EventoReservaPayload>('eventos-reserva', deHex(fixture.bytes.eventoCompleto), escritor);
    const { itinerarios: _i, pasajeros: _p, ...comoEntonces } = deDapr.data as EventoReservaPayload;
    expect(
      Type.forSchema(JSON.parse(escritor))
        .toBuffer({ ...deDapr, data: comoEntonces })
        .toString('hex'),
    ).toBe(fixture.bytes.eventoCompleto);
  });

  it('refuses an envelope Dapr would refuse: bad data, a missing required attribute, an extension attribute', () => {
    const base = { id: 'm', source: 'aeroalpes', specversion: '1.0', type: 'ReservaCreada' };
    expect(() => codificarCloudEvent('eventos-reserva', { ...base, data: { id_mensaje: 3 } as never })).toThrow(/data\.id_mensaje: debe ser un texto/);
    expect(() => codificarCloudEvent('eventos-reserva', { ...base, source: undefined } as never)).toThrow(ErrorContrato);
    expect(() => codificarCloudEvent('eventos-reserva', { ...base, time: 1700000000000 } as never)).toThrow(ErrorContrato);
    expect(() => codificarCloudEvent('eventos-reserva', null as never)).toThrow(ErrorContrato);
  });
});

describe('helpers', () => {
  it('metadatosPublicacion sets the CloudEvent id and type through Dapr metadata', () => {
    expect(metadatosPublicacion('m-1', 'ReservaCreada')).toEqual({ 'cloudevent.id': 'm-1', 'cloudevent.type': 'ReservaCreada' });
  });

  it('crearEventoReserva keeps the fields another event type uses at their defaults', () => {
    const evento = crearEventoReserva('ReservaRechazada', { id_reserva: 'r', motivo: 'RutaValida' }, { id_mensaje: 'm', version_agregado: 0 });
    expect(evento).toMatchObject({ estado: '', fecha_creacion: 0, fecha_actualizacion: 0, id_cliente: '', motivo: 'RutaValida' });
    expect(tipoAvro('eventos-reserva').isValid(evento, { noUndeclaredFields: true })).toBe(true);
  });
});
