import { atender, contratoComandoCrearReserva, contratoEventoReserva, loggerSilencioso, suscripcion, type MensajeRecibido } from '@aeroalpes/comun';
import { ejemploComandoCrearReserva, ejemploEventoReserva, EJEMPLO_ID_RESERVA, type ComandoCrearReservaPayload } from '@aeroalpes/contratos';
import { componerEnMemoria } from '../../../composicion';
import { idDerivado, ManejadorComandosReserva } from './comandos-broker';
import { ProyeccionReservasBroker } from './proyeccion-broker';

const mensaje = (id: string, type: string, data: unknown): MensajeRecibido => ({ id, type, topic: 't', data, evento: {} });

/** aeroalpes' two subscriptions as main.ts declares them, over the in-memory core. */
function preparar() {
  const nucleo = componerEnMemoria({ topicEventos: 'eventos-reserva' });
  const comandos = new ManejadorComandosReserva(nucleo.busComandos, nucleo.publicador, 'eventos-reserva', loggerSilencioso);
  const proyeccion = new ProyeccionReservasBroker(nucleo.proyector, 'eventos-reserva');
  const sComandos = suscripcion({ pubsubname: 'pubsub', topic: 'comandos-reserva', contrato: contratoComandoCrearReserva, manejar: (m) => comandos.manejar(m) });
  const sEventos = suscripcion({ pubsubname: 'pubsub', topic: 'eventos-reserva', contrato: contratoEventoReserva, manejar: (m) => proyeccion.manejar(m) });
  const entregar = async (s: typeof sComandos, m: MensajeRecibido) => (await atender(s, [{ mensaje: m }], loggerSilencioso))[0];
  const comando = (id: string, cambios: Partial<ComandoCrearReservaPayload> = {}) => mensaje(id, 'ComandoCrearReserva', ejemploComandoCrearReserva({ id_mensaje: id, ...cambios }));
  return { ...nucleo, comandoA: (m: MensajeRecibido) => entregar(sComandos, m), eventoA: (m: MensajeRecibido) => entregar(sEventos, m), comando };
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

describe('the projection subscription to eventos-reserva', () => {
  test('ReservaCreada builds the view from the event; ReservaRechazada has nothing to project; outside the contract is DROP', async () => {
    const { eventoA, vista } = preparar();
    expect(await eventoA(mensaje('e-1', 'ReservaCreada', ejemploEventoReserva('ReservaCreada', { id_mensaje: 'e-1' })))).toBe('SUCCESS');
    expect(await vista.obtener(EJEMPLO_ID_RESERVA)).toMatchObject({ id: EJEMPLO_ID_RESERVA, estado: 'Pendiente' });
    expect(await eventoA(mensaje('e-2', 'ReservaRechazada', ejemploEventoReserva('ReservaRechazada', { id_mensaje: 'e-2' })))).toBe('SUCCESS');
    expect(await eventoA(mensaje('e-3', 'ReservaCreada', { id_reserva: 'sin-lo-demás' }))).toBe('DROP');
  });
});
