import { crearLogger, loggerSilencioso, type Nivel } from './log';

function capturar(nivel?: Nivel) {
  const lineas: { nivel: Nivel; json: Record<string, unknown> }[] = [];
  const log = crearLogger({
    servicio: 'prueba',
    ...(nivel ? { nivel } : {}),
    reloj: () => new Date('2026-01-01T00:00:00Z'),
    escribir: (linea, n) => lineas.push({ nivel: n, json: JSON.parse(linea) as Record<string, unknown> }),
  });
  return { log, lineas };
}

describe('crearLogger', () => {
  test('one JSON line per call: time, level, service, message and the fields', () => {
    const { log, lineas } = capturar();
    log.info('hola', { message_id: 'm-1' });
    expect(lineas).toEqual([{ nivel: 'info', json: { time: '2026-01-01T00:00:00.000Z', level: 'info', service: 'prueba', msg: 'hola', message_id: 'm-1' } }]);
  });

  test('below the level nothing is written', () => {
    const { log, lineas } = capturar('warn');
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(lineas.map((l) => l.json.msg)).toEqual(['w', 'e']);
  });

  test('`con` adds fields to every line of the child, the call fields win, the parent is unchanged', () => {
    const { log, lineas } = capturar();
    const hijo = log.con({ correlation_id: 'c-1', type: 'A' });
    hijo.info('uno', { type: 'B' });
    hijo.con({ id_reserva: 'r-1' }).warn('dos');
    log.info('tres');
    expect(lineas.map((l) => l.json)).toEqual([
      expect.objectContaining({ msg: 'uno', correlation_id: 'c-1', type: 'B' }),
      expect.objectContaining({ msg: 'dos', correlation_id: 'c-1', type: 'A', id_reserva: 'r-1' }),
      expect.not.objectContaining({ correlation_id: expect.anything() }),
    ]);
  });

  test('an error is written as name, message and stack', () => {
    const { log, lineas } = capturar();
    log.error('fallo', { err: new TypeError('roto') });
    expect(lineas[0]!.json.err).toEqual({ name: 'TypeError', message: 'roto', stack: expect.stringContaining('TypeError: roto') });
  });

  test("loggerSilencioso's children are itself", () => {
    expect(loggerSilencioso.con({ topic: 'x' })).toBe(loggerSilencioso);
  });
});
