import { atender, contratoEventoReserva, loggerSilencioso, suscripcion, type MensajeRecibido } from '@aeroalpes/comun';
import { ejemploEventoReserva, EJEMPLO_ID_RESERVA } from '@aeroalpes/contratos';
import { componerEnMemoria } from '../../../composicion';
import { ProyeccionReservasBroker } from './proyeccion-broker';

const mensaje = (id: string, type: string, data: unknown): MensajeRecibido => ({ id, type, topic: 't', data, evento: {} });

/** The projection subscription as main.ts declares it, over the in-memory core. */
function preparar() {
  const nucleo = componerEnMemoria({ topicEventos: 'eventos-reserva' });
  const proyeccion = new ProyeccionReservasBroker(nucleo.proyector, 'eventos-reserva');
  const sEventos = suscripcion({ pubsubname: 'pubsub', topic: 'eventos-reserva', contrato: contratoEventoReserva, manejar: (m) => proyeccion.manejar(m) });
  return { ...nucleo, eventoA: async (m: MensajeRecibido) => (await atender(sEventos, [{ mensaje: m }], loggerSilencioso))[0] };
}

describe('the projection subscription to eventos-reserva', () => {
  test('ReservaCreada builds the view from the event; ReservaRechazada has nothing to project; outside the contract is DROP', async () => {
    const { eventoA, vista } = preparar();
    expect(await eventoA(mensaje('e-1', 'ReservaCreada', ejemploEventoReserva('ReservaCreada', { id_mensaje: 'e-1' })))).toBe('SUCCESS');
    expect(await vista.obtener(EJEMPLO_ID_RESERVA)).toMatchObject({ id: EJEMPLO_ID_RESERVA, estado: 'Pendiente' });
    expect(await eventoA(mensaje('e-2', 'ReservaRechazada', ejemploEventoReserva('ReservaRechazada', { id_mensaje: 'e-2' })))).toBe('SUCCESS');
    expect(await eventoA(mensaje('e-3', 'ReservaCreada', { id_reserva: 'sin-lo-demás' }))).toBe('DROP');
  });
});
