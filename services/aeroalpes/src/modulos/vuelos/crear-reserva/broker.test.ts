import { atender, contratoComandoCrearReserva, loggerSilencioso, suscripcion, type MensajeRecibido } from '@aeroalpes/comun';
import { ejemploComandoCrearReserva, EJEMPLO_ID_RESERVA, type ComandoCrearReservaPayload } from '@aeroalpes/contratos';
import { componerEnMemoria } from '../../../composicion';
import { idDerivado, ManejadorComandosReserva } from './broker';

const mensaje = (id: string, type: string, data: unknown): MensajeRecibido => ({ id, type, topic: 't', data, evento: {} });

/** The subscription to comandos-reserva as main.ts declares it, over the in-memory core. */
function preparar() {
  const nucleo = componerEnMemoria({ topicEventos: 'eventos-reserva' });
  const comandos = new ManejadorComandosReserva(nucleo.busComandos, nucleo.publicador, 'eventos-reserva', loggerSilencioso);
  const sComandos = suscripcion({ pubsubname: 'pubsub', topic: 'comandos-reserva', contrato: contratoComandoCrearReserva, manejar: (m) => comandos.manejar(m) });
  const comando = (id: string, cambios: Partial<ComandoCrearReservaPayload> = {}) => mensaje(id, 'ComandoCrearReserva', ejemploComandoCrearReserva({ id_mensaje: id, ...cambios }));
  return { ...nucleo, comandoA: async (m: MensajeRecibido) => (await atender(sComandos, [{ mensaje: m }], loggerSilencioso))[0], comando };
}

describe('the subscription to comandos-reserva', () => {
  test('creates the reserva once however often the command is delivered', async () => {
    const { comandoA, comando, reservas, publicador } = preparar();
    const m = comando('c-1');
    expect(await comandoA(m)).toBe('SUCCESS');
    expect(await comandoA(m)).toBe('SUCCESS');
    expect(reservas.documentos.size).toBe(1);
    expect(await reservas.obtenerPorId(EJEMPLO_ID_RESERVA)).not.toBeNull();
    expect(publicador.publicados.filter((p) => p.type === 'ReservaCreada').map((p) => p.correlationId)).toEqual(['corr-1']);
  });

  test('a command that breaks a business rule is answered with ReservaRechazada (the same message id on redelivery), not lost', async () => {
    const { comandoA, comando, reservas, publicador } = preparar();
    const sinItinerarios = comando('c-2', { itinerarios: [] });
    expect(await comandoA(sinItinerarios)).toBe('SUCCESS');
    expect(await comandoA(sinItinerarios)).toBe('SUCCESS');
    expect(reservas.documentos.size).toBe(0);
    const rechazos = publicador.publicados.filter((p) => p.type === 'ReservaRechazada');
    expect(rechazos.map((p) => p.id)).toEqual([idDerivado('c-2', 'ReservaRechazada'), idDerivado('c-2', 'ReservaRechazada')]);
    expect(rechazos[0]).toMatchObject({
      correlationId: 'corr-1',
      aggregateId: EJEMPLO_ID_RESERVA,
      payload: { id_reserva: EJEMPLO_ID_RESERVA, motivo: expect.stringContaining('MinimoUnItinerario') },
    });
  });

  test("a command outside the REST request's limits (sizes, id format, names) is DROP at once: nothing stored, nothing published", async () => {
    const { comandoA, comando, reservas, publicador } = preparar();
    const base = ejemploComandoCrearReserva();
    const once = Array.from({ length: 11 }, () => base.itinerarios[0]!); // the REST API takes at most 10
    const largo = structuredClone(base.itinerarios);
    largo[0]!.odos[0]!.segmentos[0]!.legs[0]!.destino.nombre = 'x'.repeat(201); // REST maxLength 200
    for (const [id, cambios] of [
      ['c-10', { itinerarios: once }],
      ['c-11', { itinerarios: largo }],
      ['c-12', { id_reserva: 'no-es-un-uuid' }],
    ] as const) {
      expect({ id, desenlace: await comandoA(comando(id, cambios)) }).toEqual({ id, desenlace: 'DROP' });
    }
    expect(reservas.documentos.size).toBe(0);
    expect(publicador.publicados).toEqual([]);
  });

  test('a command without correlation id correlates by its message id; one outside the contract is DROP and does nothing', async () => {
    const { comandoA, comando, reservas, publicador } = preparar();
    expect(await comandoA(comando('c-3', { id_correlacion: '' }))).toBe('SUCCESS');
    expect(publicador.publicados.map((p) => p.correlationId)).toEqual(['c-3']);
    expect(await comandoA(mensaje('c-4', 'ComandoBorrarTodo', ejemploComandoCrearReserva({ id_mensaje: 'c-4' })))).toBe('DROP');
    expect(reservas.documentos.size).toBe(1);
  });

  test('a store that fails is RETRY', async () => {
    const { comandoA, comando, reservas } = preparar();
    reservas.fallarCon(new Error('base caída'));
    expect(await comandoA(comando('c-5'))).toBe('RETRY');
  });
});
