import { configDapr, configLote, entero, texto } from './config';

const guardado = { ...process.env };
afterEach(() => {
  process.env = { ...guardado };
});

describe('entero and texto', () => {
  test('unset or empty is the default; a non-negative integer is read; anything else fails naming the variable', () => {
    delete process.env.PRUEBA_N;
    expect(entero('PRUEBA_N', 7)).toBe(7);
    process.env.PRUEBA_N = '';
    expect(entero('PRUEBA_N', 7)).toBe(7);
    process.env.PRUEBA_N = '0';
    expect(entero('PRUEBA_N', 7)).toBe(0);
    process.env.PRUEBA_N = '42';
    expect(entero('PRUEBA_N', 7)).toBe(42);
    for (const malo of ['-1', '1.5', 'diez', '1e400']) {
      process.env.PRUEBA_N = malo;
      expect(() => entero('PRUEBA_N', 7)).toThrow(`environment variable PRUEBA_N must be a non-negative integer, got '${malo}'`);
    }
  });

  test('texto: unset or empty is the default', () => {
    delete process.env.PRUEBA_T;
    expect(texto('PRUEBA_T', 'x')).toBe('x');
    process.env.PRUEBA_T = '';
    expect(texto('PRUEBA_T', 'x')).toBe('x');
    process.env.PRUEBA_T = 'y';
    expect(texto('PRUEBA_T', 'x')).toBe('y');
  });
});

describe('configDapr', () => {
  test('the local defaults, and every name from its variable', () => {
    for (const v of ['DAPR_HOST', 'DAPR_HTTP_PORT', 'PUBSUB_NAME', 'STATESTORE_NAME', 'TOPIC_EVENTOS', 'TOPIC_COMANDOS']) delete process.env[v];
    expect(configDapr()).toEqual({
      host: '127.0.0.1',
      httpPort: 3500,
      pubsub: 'pubsub',
      statestore: 'statestore',
      topicEventos: 'eventos-reserva',
      topicComandos: 'comandos-reserva',
    });
    Object.assign(process.env, { DAPR_HOST: 'dapr', DAPR_HTTP_PORT: '3600', PUBSUB_NAME: 'ps', STATESTORE_NAME: 'st', TOPIC_EVENTOS: 'ev', TOPIC_COMANDOS: 'co' });
    expect(configDapr()).toEqual({ host: 'dapr', httpPort: 3600, pubsub: 'ps', statestore: 'st', topicEventos: 'ev', topicComandos: 'co' });
    process.env.DAPR_HTTP_PORT = 'puerto';
    expect(() => configDapr()).toThrow(/DAPR_HTTP_PORT/);
  });
});

describe('configLote', () => {
  test('bulk by default (50 messages, 20 ms); 0 or 1 messages, or 0 ms, turn it off; a bad value fails with its name', () => {
    delete process.env.BULK_MAX_MENSAJES;
    delete process.env.BULK_ESPERA_MS;
    expect(configLote()).toEqual({ maxMensajes: 50, esperaMs: 20 });
    process.env.BULK_MAX_MENSAJES = '200';
    process.env.BULK_ESPERA_MS = '5';
    expect(configLote()).toEqual({ maxMensajes: 200, esperaMs: 5 });
    process.env.BULK_MAX_MENSAJES = '1';
    expect(configLote()).toBeUndefined();
    process.env.BULK_MAX_MENSAJES = '0';
    expect(configLote()).toBeUndefined();
    process.env.BULK_MAX_MENSAJES = '50';
    process.env.BULK_ESPERA_MS = '0';
    expect(configLote()).toBeUndefined();
    process.env.BULK_ESPERA_MS = 'pronto';
    expect(() => configLote()).toThrow(/BULK_ESPERA_MS/);
  });
});
