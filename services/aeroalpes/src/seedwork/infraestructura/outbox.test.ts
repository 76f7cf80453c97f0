import { loggerEnMemoria } from '@aeroalpes/comun';
import { MensajeIntegracion } from './mensajes';
import { drenarAgregado, OpcionesMarcado, OutboxPendiente } from './outbox';
import { PublicadorMemoria } from './publicadores';

const mensaje = (id: string): MensajeIntegracion => ({
  id,
  topic: 'eventos-reserva',
  type: 'ReservaCreada',
  time: 0,
  correlationId: `corr-${id}`,
  aggregateId: 'r-1',
  aggregateVersion: 1,
  payload: {},
});

/** A store that records what it is asked to remove; `fallar` makes removals reject. */
function almacen(fallar = false) {
  const marcados: { idAgregado: string; ids: string[]; opciones: OpcionesMarcado | undefined }[] = [];
  const store: OutboxPendiente = {
    nombre: 'prueba',
    pendientes: async () => [],
    pendientesDe: async () => null,
    marcarEnviados: async (idAgregado, mensajes, opciones) => {
      if (fallar) throw new Error('base caída');
      marcados.push({ idAgregado, ids: mensajes.map((m) => m.id), opciones });
    },
  };
  return { store, marcados };
}

describe('drenarAgregado: the one outbox drain (after a commit and in the relay)', () => {
  it('publishes in order and removes them; with the version, as the whole outbox at that version', async () => {
    const { store, marcados } = almacen();
    const publicador = new PublicadorMemoria();
    const d = await drenarAgregado(store, { idAgregado: 'r-1', version: 3, mensajes: [mensaje('a'), mensaje('b')] }, publicador, loggerEnMemoria());
    expect(d).toEqual({ publicados: 2, pendientes: 0, marcados: true });
    expect(publicador.publicados.map((m) => m.id)).toEqual(['a', 'b']);
    expect(marcados).toEqual([{ idAgregado: 'r-1', ids: ['a', 'b'], opciones: { outboxCompletoEnVersion: 3 } }]);
  });

  it('without the version it removes them without claiming the outbox is empty', async () => {
    const { store, marcados } = almacen();
    await drenarAgregado(store, { idAgregado: 'r-1', mensajes: [mensaje('a')] }, new PublicadorMemoria(), loggerEnMemoria());
    expect(marcados).toEqual([{ idAgregado: 'r-1', ids: ['a'], opciones: {} }]);
  });

  it('stops at the first failed publication: the rest stay, in order, and the version is not claimed', async () => {
    const { store, marcados } = almacen();
    const publicador = new PublicadorMemoria();
    publicador.fallarCon((m) => m.id === 'b');
    const logger = loggerEnMemoria();
    const d = await drenarAgregado(store, { idAgregado: 'r-1', version: 1, mensajes: [mensaje('a'), mensaje('b'), mensaje('c')] }, publicador, logger);
    expect(d).toEqual({ publicados: 1, pendientes: 2, marcados: true });
    expect(publicador.publicados.map((m) => m.id)).toEqual(['a']);
    expect(marcados).toEqual([{ idAgregado: 'r-1', ids: ['a'], opciones: {} }]);
    expect(logger.lineas).toEqual([
      expect.objectContaining({ nivel: 'warn', campos: expect.objectContaining({ store: 'prueba', message_id: 'b', correlation_id: 'corr-b', aggregate_id: 'r-1' }) }),
    ]);
  });

  it('nothing published: nothing to remove', async () => {
    const { store, marcados } = almacen();
    const publicador = new PublicadorMemoria();
    publicador.fallarCon();
    expect(await drenarAgregado(store, { idAgregado: 'r-1', version: 1, mensajes: [mensaje('a')] }, publicador, loggerEnMemoria())).toEqual({
      publicados: 0,
      pendientes: 1,
      marcados: true,
    });
    expect(marcados).toEqual([]);
  });

  it('a failed removal is logged and reported, not thrown (they are published again with the same ids)', async () => {
    const { store } = almacen(true);
    const logger = loggerEnMemoria();
    const d = await drenarAgregado(store, { idAgregado: 'r-1', version: 1, mensajes: [mensaje('a'), mensaje('b')] }, new PublicadorMemoria(), logger);
    expect(d).toEqual({ publicados: 2, pendientes: 0, marcados: false });
    expect(logger.lineas).toEqual([expect.objectContaining({ nivel: 'warn', campos: expect.objectContaining({ store: 'prueba', message_ids: ['a', 'b'], aggregate_id: 'r-1' }) })]);
  });
});
