import { origenes } from '@aeroalpes/comun';
import { hosts, leerConfigUi } from './config';

describe('configuración de la ui', () => {
  const guardado = { ...process.env };
  afterEach(() => {
    process.env = { ...guardado };
  });

  it('ALLOWED_ORIGINS: lista separada por comas, normalizada; una entrada mal formada falla con su nombre', () => {
    expect(origenes('')).toEqual([]);
    expect(origenes(' https://aeroalpes.example/ , http://localhost:8080')).toEqual(['https://aeroalpes.example', 'http://localhost:8080']);
    expect(() => origenes('aeroalpes.example')).toThrow(/ALLOWED_ORIGINS/);
    expect(() => origenes('ftp://x.example')).toThrow(/http or https/);
  });

  it('lee puerto, límites del websocket y app id con valores por defecto de la ejecución local', () => {
    delete process.env.PORT;
    process.env.WS_PING_MS = '5000';
    const config = leerConfigUi();
    expect(config).toMatchObject({ puerto: 5678, appAeroAlpes: 'aeroalpes', ws: { pingMs: 5000, maxBufferBytes: 1048576 } });
    process.env.WS_MAX_BUFFER_BYTES = '-1';
    expect(() => leerConfigUi()).toThrow(/WS_MAX_BUFFER_BYTES/);
  });

  it('la suscripción va por el componente por réplica: PUBSUB_BROADCAST_NAME, por defecto pubsub-broadcast', () => {
    delete process.env.PUBSUB_BROADCAST_NAME;
    process.env.PUBSUB_NAME = 'otro-pubsub';
    expect(leerConfigUi().pubsubDifusion).toBe('pubsub-broadcast');
    process.env.PUBSUB_BROADCAST_NAME = 'difusion-ui';
    expect(leerConfigUi().pubsubDifusion).toBe('difusion-ui');
  });

  it('entrega en lote de eventos-reserva: 50 mensajes / 20 ms por defecto; BULK_MAX_MENSAJES=1 la apaga', () => {
    delete process.env.BULK_MAX_MENSAJES;
    delete process.env.BULK_ESPERA_MS;
    expect(leerConfigUi().lote).toEqual({ maxMensajes: 50, esperaMs: 20 });
    process.env.BULK_MAX_MENSAJES = '1';
    expect(leerConfigUi().lote).toBeUndefined();
  });
});

describe('ALLOWED_HOSTS', () => {
  test('empty: the port on the loopback names; a list, lower-cased; * any; a malformed entry fails fast', () => {
    expect(hosts('', 5678)).toEqual(['localhost:5678', '127.0.0.1:5678', '[::1]:5678']);
    expect(hosts(' Reservas.Example , 10.0.0.5:8080', 5678)).toEqual(['reservas.example', '10.0.0.5:8080']);
    expect(hosts('*', 5678)).toBe('*');
    expect(() => hosts('https://reservas.example', 5678)).toThrow(/ALLOWED_HOSTS/);
  });
});
