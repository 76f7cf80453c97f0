import { leerConfig } from './config';

describe('leerConfig', () => {
  it('usa los valores del arranque local por defecto', () => {
    expect(leerConfig({})).toEqual({
      puerto: 5000,
      puertoGrpc: 50051,
      dapr: { urlSidecar: 'http://127.0.0.1:3500', pubsub: 'pubsub', publicacionTimeoutMs: 3000, publicacionEnLote: true },
      mongodb: {
        uri: 'mongodb://127.0.0.1:27017/',
        baseDatos: 'aeroalpes',
        colecciones: { reservas: 'reservas', vista: 'reservas_vista', clientes: 'clientes', comandos: 'comandos_pendientes', arriendos: 'arriendos_relay' },
        tiempos: { seleccionMs: 1500, conexionMs: 1500 },
      },
      topics: { eventos: 'eventos-reserva', comandos: 'comandos-reserva' },
      relay: { intervaloMs: 5000, edadMinimaMs: 10000, limite: 100, intentosMaximos: 10, arriendoMs: 30000 },
      lotes: { maximo: 200, paralelos: 2 },
      totalTtlMs: 5000,
      bulkTopicos: ['eventos-reserva'],
      limiteCuerpoBytes: 262144,
      host: '0.0.0.0',
      hostGrpc: '127.0.0.1',
      nivelLog: 'info',
      origenesPermitidos: [],
      apagadoMs: 10000,
    });
  });

  it('lee el entorno', () => {
    const c = leerConfig({
      PORT: '5100',
      MONGODB_DB: 'aeroalpes_test',
      MONGODB_COLECCION_RESERVAS_VISTA: 'vista2',
      TOPIC_EVENTOS: 'ev',
      RELAY_INTERVALO_MS: '0',
      RELAY_ARRIENDO_MS: '5000',
      LOG_LEVEL: 'debug',
    });
    expect(c).toMatchObject({ puerto: 5100, mongodb: { baseDatos: 'aeroalpes_test', colecciones: { vista: 'vista2' } }, topics: { eventos: 'ev' } });
    expect(c.relay).toMatchObject({ intervaloMs: 0, arriendoMs: 5000 });
    expect(c.nivelLog).toBe('debug');
  });

  it.each([
    [{ PORT: 'abc' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ RELAY_LIMITE: '0' }, /RELAY_LIMITE/],
    [{ RELAY_ARRIENDO_MS: '500' }, /RELAY_ARRIENDO_MS/],
    [{ RELAY_ARRIENDO_MS: '3000' }, /RELAY_ARRIENDO_MS .* PUBLICACION_TIMEOUT_MS/],
    [{ MONGODB_COLECCION_ARRIENDOS: 'a b' }, /MONGODB_COLECCION_ARRIENDOS/],
    [{ LOG_LEVEL: 'verbose' }, /LOG_LEVEL/],
    [{ MONGODB_DB: 'a b' }, /MONGODB_DB/],
    [{ MONGODB_COLECCION_RESERVAS: '$cmd' }, /MONGODB_COLECCION_RESERVAS/],
    [{ MONGODB_SELECCION_MS: '10' }, /MONGODB_SELECCION_MS/],
  ])('falla pronto y nombra la variable: %p', (entorno, patron) => {
    expect(() => leerConfig(entorno)).toThrow(patron);
  });
});
