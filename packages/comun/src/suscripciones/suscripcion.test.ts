import { ejemploComandoCrearReserva, ejemploEventoReserva } from '@aeroalpes/contratos';
import { loggerEnMemoria as logEnMemoria } from '../log';
import { contratoComandoCrearReserva, contratoEventoReserva, cualquierMensaje } from './contratos';
import { atender, declaracionDapr, suscripcion, type Desenlace, type MensajeRecibido, type Suscripcion } from './suscripcion';

const mensaje = (id: string, type: string, data: unknown): MensajeRecibido => ({ id, type, topic: 'eventos-reserva', data, evento: {} });
const evento = (id: string, cambios: Parameters<typeof ejemploEventoReserva>[1] = {}) =>
  mensaje(id, 'ReservaCreada', ejemploEventoReserva('ReservaCreada', { id_mensaje: id, ...cambios }));

describe('atender: the seam between a delivery and its handler', () => {
  test('a message that breaks the contract is DROP with one warn line (topic, id, type, errors) and never reaches the handler', async () => {
    const log = logEnMemoria();
    const vistos: string[] = [];
    const s = suscripcion({
      pubsubname: 'pubsub',
      topic: 'eventos-reserva',
      contrato: contratoEventoReserva,
      manejar: async (m) => {
        vistos.push(m.data.id_reserva);
        return 'SUCCESS';
      },
    });
    const roto = mensaje('m-2', 'ReservaInventada', { id_reserva: 'x', id_correlacion: 'corr-2' });
    expect(await atender(s, [{ mensaje: evento('m-1') }, { mensaje: roto }, { mensaje: undefined, entryId: 'e-3' }], log)).toEqual(['SUCCESS', 'DROP', 'DROP']);
    expect(vistos).toHaveLength(1);
    expect(log.lineas).toEqual([
      {
        nivel: 'warn',
        msg: 'mensaje fuera del contrato: al dead-letter',
        campos: {
          topic: 'eventos-reserva',
          message_id: 'm-2',
          type: 'ReservaInventada',
          correlation_id: 'corr-2',
          errors: expect.arrayContaining([expect.objectContaining({ campo: 'type' })]),
        },
      },
      { nivel: 'warn', msg: 'mensaje sin id de CloudEvent: descartado', campos: { topic: 'eventos-reserva', entry_id: 'e-3' } },
    ]);
  });

  test('the handler gets the payload typed and the correlation id lifted from it', async () => {
    let recibido: MensajeRecibido<{ id_reserva: string }> | undefined;
    const s = suscripcion({
      pubsubname: 'pubsub',
      topic: 'comandos-reserva',
      contrato: contratoComandoCrearReserva,
      manejar: async (m) => {
        recibido = m;
        return 'SUCCESS';
      },
    });
    const comando = ejemploComandoCrearReserva({ id_mensaje: 'c-1', id_correlacion: 'corr-9' });
    expect(await atender(s, [{ mensaje: { ...mensaje('c-1', 'ComandoCrearReserva', comando), traceparent: '00-abc-def-01' } }], logEnMemoria())).toEqual(['SUCCESS']);
    expect(recibido).toMatchObject({ id: 'c-1', type: 'ComandoCrearReserva', correlacion: 'corr-9', traceparent: '00-abc-def-01', data: { id_reserva: comando.id_reserva } });
    const sinCorrelacion = ejemploComandoCrearReserva({ id_mensaje: 'c-2', id_correlacion: '' });
    await atender(s, [{ mensaje: mensaje('c-2', 'ComandoCrearReserva', sinCorrelacion) }], logEnMemoria());
    expect(recibido).not.toHaveProperty('correlacion');
  });

  test('a thrown handler is RETRY for that message only, with one error line naming it', async () => {
    const log = logEnMemoria();
    const s = suscripcion({
      pubsubname: 'pubsub',
      topic: 'eventos-reserva',
      contrato: contratoEventoReserva,
      manejar: async (m) => {
        if (m.id === 'falla') throw new Error('base caída');
        return 'SUCCESS';
      },
    });
    expect(await atender(s, [{ mensaje: evento('ok') }, { mensaje: evento('falla', { id_correlacion: 'corr-f' }) }], log)).toEqual(['SUCCESS', 'RETRY']);
    expect(log.lineas).toEqual([
      {
        nivel: 'error',
        msg: 'fallo procesando mensaje: se reintentará',
        campos: { topic: 'eventos-reserva', message_id: 'falla', type: 'ReservaCreada', correlation_id: 'corr-f', err: expect.objectContaining({ message: 'base caída' }) },
      },
    ]);
  });

  test('manejarLote gets only the valid messages; a throw or a wrong count is RETRY for all of them (one error line), the invalid stay DROP', async () => {
    const log = logEnMemoria();
    let respuesta: () => Promise<Desenlace[]> = async () => ['SUCCESS', 'DROP'];
    const lotes: string[][] = [];
    const s = suscripcion({
      pubsubname: 'pubsub',
      topic: 'eventos-reserva',
      contrato: contratoEventoReserva,
      manejarLote: async (ms) => {
        lotes.push(ms.map((m) => m.id));
        return respuesta();
      },
    });
    const entregas = [{ mensaje: evento('a') }, { mensaje: mensaje('b', 'ReservaCreada', { roto: true }) }, { mensaje: evento('c') }];
    expect(await atender(s, entregas, log)).toEqual(['SUCCESS', 'DROP', 'DROP']);
    respuesta = async () => {
      throw new Error('almacén caído');
    };
    expect(await atender(s, entregas, log)).toEqual(['RETRY', 'DROP', 'RETRY']);
    respuesta = async () => ['SUCCESS'];
    expect(await atender(s, entregas, log)).toEqual(['RETRY', 'DROP', 'RETRY']);
    expect(await atender(s, [{ mensaje: mensaje('d', 'ReservaCreada', {}) }], log)).toEqual(['DROP']);
    expect(lotes).toEqual([
      ['a', 'c'],
      ['a', 'c'],
      ['a', 'c'],
    ]); // never called without a valid message
    expect(log.lineas.filter((l) => l.nivel === 'error').map((l) => l.campos.message_ids)).toEqual([
      ['a', 'c'],
      ['a', 'c'],
    ]);
  });

  test('a subscription without a contract takes any payload (dead-letter topics)', async () => {
    const s: Suscripcion = { pubsubname: 'pubsub', topic: 'x-dlq', contrato: cualquierMensaje, manejar: async () => 'SUCCESS' };
    expect(await atender(s, [{ mensaje: mensaje('m', 'Cualquiera', 'texto') }], logEnMemoria())).toEqual(['SUCCESS']);
  });
});

describe('declaracionDapr', () => {
  test('dead-letter topic, metadata and bulk delivery only when given', () => {
    const manejar = async (): Promise<Desenlace> => 'SUCCESS';
    expect(declaracionDapr({ pubsubname: 'p', topic: 't', contrato: cualquierMensaje, manejar })).toEqual({ pubsubname: 'p', topic: 't' });
    expect(
      declaracionDapr({ pubsubname: 'p', topic: 't', contrato: cualquierMensaje, deadLetterTopic: 't-dlq', metadata: { a: 'b' }, lote: { maxMensajes: 10, esperaMs: 5 }, manejar }),
    ).toEqual({
      pubsubname: 'p',
      topic: 't',
      deadLetterTopic: 't-dlq',
      metadata: { a: 'b' },
      bulkSubscribe: { enabled: true, maxMessagesCount: 10, maxAwaitDurationMs: 5 },
    });
  });
});
