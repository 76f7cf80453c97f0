import { randomUUID } from 'node:crypto';
import { AlmacenMemoria, loggerSilencioso, type MensajeRecibido } from '@aeroalpes/comun';
import { crearEventoReserva, validarEventoReserva } from '@aeroalpes/contratos';
import { RegistroDeadLetter } from './dead-letter';
import { claveHistorial, claveNotificacion, EnviarNotificacion, type Notificacion } from './notificaciones';

function mensaje(tipo: string, idReserva: string, id = randomUUID()): MensajeRecibido {
  const data =
    tipo === 'ReservaCreada'
      ? crearEventoReserva('ReservaCreada', { id_reserva: idReserva, id_cliente: '', estado: 'Pendiente', fecha_creacion: 1 }, { id_mensaje: id, id_correlacion: 'corr-1' })
      : crearEventoReserva('ReservaAprobada', { id_reserva: idReserva, fecha_actualizacion: 2 }, { id_mensaje: id });
  return { id, type: tipo, topic: 'eventos-reserva', data, evento: {} };
}

const nuevo = () => {
  const almacen = new AlmacenMemoria();
  return { almacen, enviar: new EnviarNotificacion(almacen, validarEventoReserva, loggerSilencioso, () => new Date('2026-01-01T00:00:00Z')) };
};

describe('EnviarNotificacion', () => {
  test('records one notification per event and keeps the reserva history in order', async () => {
    const { almacen, enviar } = nuevo();
    const idReserva = randomUUID();
    const creada = mensaje('ReservaCreada', idReserva);
    expect(await enviar.manejar(creada)).toBe('SUCCESS');
    expect(await enviar.manejar(mensaje('ReservaAprobada', idReserva))).toBe('SUCCESS');
    const { valor } = await almacen.leer<Notificacion[]>(claveHistorial(idReserva));
    expect(valor?.map((n) => n.tipo)).toEqual(['ReservaCreada', 'ReservaAprobada']);
    expect(valor?.[0]).toMatchObject({ id_mensaje: creada.id, estado: 'Pendiente', correlation_id: 'corr-1' });
    expect((await almacen.leer(claveNotificacion(creada.id))).valor).toBeDefined();
  });

  test('a redelivered message (same id) sends nothing more, also when deliveries overlap', async () => {
    const { almacen, enviar } = nuevo();
    const idReserva = randomUUID();
    const m = mensaje('ReservaCreada', idReserva);
    const resultados = await Promise.all([enviar.manejar(m), enviar.manejar(m), enviar.manejar(m)]);
    expect(resultados).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    // A later redelivery, after the history moved on: only the first-write record stops it.
    expect(await enviar.manejar(mensaje('ReservaAprobada', idReserva))).toBe('SUCCESS');
    expect(await enviar.manejar(m)).toBe('SUCCESS');
    expect((await almacen.leer<Notificacion[]>(claveHistorial(idReserva))).valor?.map((n) => n.tipo)).toEqual(['ReservaCreada', 'ReservaAprobada']);
  });

  test('an event that breaks the contract is dropped (to the dead-letter topic) and writes nothing', async () => {
    const { almacen, enviar } = nuevo();
    const malo = { ...mensaje('ReservaCreada', randomUUID()), type: 'ReservaInventada' };
    expect(await enviar.manejar(malo)).toBe('DROP');
    expect(almacen.datos.size).toBe(0);
  });

  test('a state store that is down makes it fail (the subscription answers RETRY), writing nothing', async () => {
    const { almacen, enviar } = nuevo();
    almacen.fallar = true;
    await expect(enviar.manejar(mensaje('ReservaCreada', randomUUID()))).rejects.toThrow(/no disponible/);
    almacen.fallar = false;
    expect(almacen.datos.size).toBe(0);
  });
});

describe('RegistroDeadLetter', () => {
  test('records what arrived once per message id, with its origin and dead-letter topic', async () => {
    const almacen = new AlmacenMemoria();
    const registro = new RegistroDeadLetter(almacen, loggerSilencioso);
    const m = mensaje('ReservaCreada', randomUUID());
    expect(await registro.registrar(m, 'eventos-reserva-dlq')).toBe('SUCCESS');
    expect(await registro.registrar(m, 'eventos-reserva-dlq')).toBe('SUCCESS');
    expect(await registro.listar()).toEqual([expect.objectContaining({ id_mensaje: m.id, topic: 'eventos-reserva', dead_letter_topic: 'eventos-reserva-dlq' })]);
  });
});
