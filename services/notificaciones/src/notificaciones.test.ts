import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { AlmacenMemoria, atender, contratoEventoReserva, loggerEnMemoria, loggerSilencioso, montarSuscripciones, suscripcion, type MensajeRecibido } from '@aeroalpes/comun';
import { ejemploEventoReserva } from '@aeroalpes/contratos';
import { RegistroDeadLetter } from './dead-letter';
import { EnviarNotificacion, registroNotificaciones } from './notificaciones';

const TIPOS = { 0: 'ReservaRechazada', 1: 'ReservaCreada', 2: 'ReservaAprobada', 3: 'ReservaPagada' } as const;

/** The event of `version` in a reserva's lifecycle (0 rejected, 1 created, 2 approved, 3 paid). */
function mensaje(version: 0 | 1 | 2 | 3, idReserva: string, id = randomUUID()): MensajeRecibido {
  const data = ejemploEventoReserva(TIPOS[version], {
    id_mensaje: id,
    id_correlacion: 'corr-1',
    version_agregado: version,
    id_reserva: idReserva,
    estado: version === 1 ? 'Pendiente' : '',
    motivo: version === 0 ? 'RutaValida: BOG-BOG' : '',
  });
  return { id, type: TIPOS[version], topic: 'eventos-reserva', data, evento: {} };
}

/** A logger that keeps its lines; `enviadas` are the "sends" (one line 'notificación enviada' per notification), `avisos` the warnings. */
function logEnvios() {
  const log = loggerEnMemoria();
  return Object.defineProperties(log, {
    enviadas: { get: () => log.lineas.filter((l) => l.msg === 'notificación enviada').map((l) => String(l.campos.message_id)) },
    avisos: { get: () => log.lineas.filter((l) => l.nivel === 'warn').map((l) => l.msg) },
  }) as typeof log & { readonly enviadas: string[]; readonly avisos: string[] };
}

/** The subscription of main.ts: the seam validates (DROP), the use case gets each delivery as a batch. */
const suscripcionEventos = (enviar: EnviarNotificacion) =>
  suscripcion({ pubsubname: 'pubsub', topic: 'eventos-reserva', contrato: contratoEventoReserva, ruta: '/eventos/reserva', manejarLote: (ms) => enviar.manejarLote(ms) });

const nuevo = () => {
  const almacen = new AlmacenMemoria();
  const log = logEnvios();
  const enviar = new EnviarNotificacion(almacen, log, () => new Date('2026-01-01T00:00:00Z'));
  const s = suscripcionEventos(enviar);
  /** One delivery (a single message, or a bulk request) through the seam. */
  const entregar = (mensajes: MensajeRecibido[]) =>
    atender(
      s,
      mensajes.map((mensaje) => ({ mensaje })),
      log,
    );
  const uno = async (m: MensajeRecibido) => (await entregar([m]))[0];
  return { almacen, log, enviar, entregar, uno, historial: (id: string) => registroNotificaciones(almacen).leer(id) };
};

describe('EnviarNotificacion', () => {
  test('one state operation per event; the reserva history lists its notifications in version order', async () => {
    const { almacen, uno, historial, log } = nuevo();
    const idReserva = randomUUID();
    const creada = mensaje(1, idReserva);
    const aprobada = mensaje(2, idReserva);
    // Out of order on purpose: the history follows the aggregate versions, not the arrival.
    expect(await uno(aprobada)).toBe('SUCCESS');
    expect(await uno(creada)).toBe('SUCCESS');
    expect({ transacciones: almacen.transacciones, lecturas: almacen.lecturas }).toEqual({ transacciones: 2, lecturas: 0 });
    const lista = await historial(idReserva);
    expect(lista.map((n) => n.tipo)).toEqual(['ReservaCreada', 'ReservaAprobada']);
    expect(lista[0]).toEqual({
      id_mensaje: creada.id,
      tipo: 'ReservaCreada',
      id_reserva: idReserva,
      estado: 'Pendiente',
      correlation_id: 'corr-1',
      enviada: '2026-01-01T00:00:00.000Z',
    });
    expect(log.enviadas).toEqual([aprobada.id, creada.id]);
  });

  test('a redelivered message (same id) sends nothing more, also when deliveries overlap and after the history moved on', async () => {
    const { uno, historial, log } = nuevo();
    const idReserva = randomUUID();
    const m = mensaje(1, idReserva);
    expect(await Promise.all([uno(m), uno(m), uno(m)])).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect(await uno(mensaje(2, idReserva))).toBe('SUCCESS');
    expect(await uno(m)).toBe('SUCCESS');
    expect((await historial(idReserva)).map((n) => n.tipo)).toEqual(['ReservaCreada', 'ReservaAprobada']);
    expect(log.enviadas.filter((id) => id === m.id)).toHaveLength(1);
    expect(log.enviadas).toHaveLength(2);
  });

  test('a batch: one transaction for all its notifications; the same message twice in it and in the next batch is sent once', async () => {
    const { almacen, entregar, historial, log } = nuevo();
    const a = randomUUID();
    const b = randomUUID();
    const creadaA = mensaje(1, a);
    const lote1 = [creadaA, mensaje(1, b), mensaje(2, a), creadaA];
    expect(await entregar(lote1)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect(almacen.transacciones).toBe(1);
    expect(almacen.lecturas).toBe(0);
    // The next batch redelivers creadaA with one new event: one failed transaction, one read, one write.
    const pagadaA = mensaje(3, a);
    expect(await entregar([creadaA, pagadaA])).toEqual(['SUCCESS', 'SUCCESS']);
    expect({ transacciones: almacen.transacciones, lecturas: almacen.lecturas }).toEqual({ transacciones: 3, lecturas: 1 });
    expect(log.enviadas.filter((id) => id === creadaA.id)).toHaveLength(1);
    expect(log.enviadas).toHaveLength(4);
    expect((await historial(a)).map((n) => n.tipo)).toEqual(['ReservaCreada', 'ReservaAprobada', 'ReservaPagada']);
    expect((await historial(b)).map((n) => n.tipo)).toEqual(['ReservaCreada']);
  });

  test('a batch mixing new, duplicate, invalid and conflicting events gives each its own outcome', async () => {
    const { almacen, uno, entregar, historial, log } = nuevo();
    const idReserva = randomUUID();
    const creada = mensaje(1, idReserva);
    await uno(creada);
    const rechazada = mensaje(0, randomUUID());
    const roto = { ...mensaje(2, idReserva), type: 'ReservaInventada' };
    const otraCreada = mensaje(1, idReserva); // another message id claiming version 1
    const fueraDeRango = mensaje(2, idReserva);
    const sinLugar = { ...fueraDeRango, data: { ...(fueraDeRango.data as object), version_agregado: 99 } };
    const aprobada = mensaje(2, idReserva);
    expect(await entregar([rechazada, creada, roto, otraCreada, sinLugar, aprobada])).toEqual(['SUCCESS', 'SUCCESS', 'DROP', 'DROP', 'DROP', 'SUCCESS']);
    expect((await historial(idReserva)).map((n) => n.id_mensaje)).toEqual([creada.id, aprobada.id]);
    expect((await historial((rechazada.data as { id_reserva: string }).id_reserva)).map((n) => [n.tipo, n.motivo])).toEqual([['ReservaRechazada', 'RutaValida: BOG-BOG']]);
    expect(log.enviadas.sort()).toEqual([creada.id, rechazada.id, aprobada.id].sort());
    expect(log.avisos).toEqual(
      expect.arrayContaining([
        'mensaje fuera del contrato: al dead-letter',
        expect.stringContaining('otro mensaje ya ocupa esta versión'),
        expect.stringContaining('sin versión utilizable'),
      ]),
    );
    expect(almacen.datos.size).toBe(3);
  });

  test('an event that breaks the contract is dropped (to the dead-letter topic) and touches no state', async () => {
    const { almacen, uno } = nuevo();
    const malo = { ...mensaje(1, randomUUID()), type: 'ReservaInventada' };
    expect(await uno(malo)).toBe('DROP');
    expect(almacen.datos.size).toBe(0);
    expect(almacen.transacciones + almacen.lecturas).toBe(0);
  });

  test('a state store that is down is RETRY for every message of the delivery, writing and sending nothing', async () => {
    const { almacen, uno, entregar, log } = nuevo();
    almacen.fallar = true;
    expect(await uno(mensaje(1, randomUUID()))).toBe('RETRY');
    expect(await entregar([mensaje(1, randomUUID()), mensaje(1, randomUUID())])).toEqual(['RETRY', 'RETRY']);
    almacen.fallar = false;
    expect(almacen.datos.size).toBe(0);
    expect(log.enviadas).toEqual([]);
  });
});

describe('notificaciones behind the Dapr subscription (bulk and single delivery on one route)', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    if (server) await new Promise((r) => server!.close(r));
  });

  const cloudEvent = (m: MensajeRecibido) => ({
    specversion: '1.0',
    id: m.id,
    type: m.type,
    source: 'aeroalpes',
    topic: 'eventos-reserva',
    pubsubname: 'pubsub',
    datacontenttype: 'application/json',
    data: m.data,
  });

  test('each entry gets its own status; a store failure is RETRY and the redelivery sends once', async () => {
    const { almacen, enviar, historial, log } = nuevo();
    const app = express();
    montarSuscripciones(app, [{ ...suscripcionEventos(enviar), lote: { maxMensajes: 50, esperaMs: 20 } }], loggerSilencioso);
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/eventos/reserva`;
    const entregar = async (cuerpo: unknown) =>
      (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(cuerpo) })).json()) as Record<string, unknown>;
    const lote = (entradas: [string, unknown][]) => ({
      id: 'x',
      topic: 'eventos-reserva',
      pubsubname: 'pubsub',
      entries: entradas.map(([entryId, event]) => ({ entryId, event, contentType: 'application/cloudevents+json', metadata: {} })),
    });
    const statuses = (cuerpo: Record<string, unknown>) => Object.fromEntries((cuerpo.statuses as { entryId: string; status: string }[]).map((s) => [s.entryId, s.status]));

    const idReserva = randomUUID();
    const creada = mensaje(1, idReserva);
    const aprobada = mensaje(2, idReserva);
    almacen.fallar = true;
    expect(
      statuses(
        await entregar(
          lote([
            ['1', cloudEvent(creada)],
            ['2', { no: 'cloudevent' }],
          ]),
        ),
      ),
    ).toEqual({ '1': 'RETRY', '2': 'DROP' });
    almacen.fallar = false;
    expect(
      statuses(
        await entregar(
          lote([
            ['1', cloudEvent(creada)],
            ['2', cloudEvent(aprobada)],
            ['3', cloudEvent(creada)],
            ['4', { ...cloudEvent(aprobada), type: 'ReservaInventada' }],
          ]),
        ),
      ),
    ).toEqual({
      '1': 'SUCCESS',
      '2': 'SUCCESS',
      '3': 'SUCCESS',
      '4': 'DROP',
    });
    expect(await entregar(cloudEvent(creada))).toEqual({ status: 'SUCCESS' }); // a late single redelivery
    expect(log.enviadas).toEqual([creada.id, aprobada.id]);
    expect((await historial(idReserva)).map((n) => n.id_mensaje)).toEqual([creada.id, aprobada.id]);
  });
});

describe('RegistroDeadLetter', () => {
  test('records what arrived once per message id, with its origin and dead-letter topic', async () => {
    const almacen = new AlmacenMemoria();
    const registro = new RegistroDeadLetter(almacen, loggerSilencioso);
    const m = mensaje(1, randomUUID());
    expect(await registro.registrar(m, 'eventos-reserva-dlq')).toBe('SUCCESS');
    expect(await registro.registrar(m, 'eventos-reserva-dlq')).toBe('SUCCESS');
    expect(await registro.listar()).toEqual([expect.objectContaining({ id_mensaje: m.id, topic: 'eventos-reserva', dead_letter_topic: 'eventos-reserva-dlq' })]);
  });

  test('one key per message, with a TTL; a payload over the cap is kept as a prefix with its size, so no record outgrows the store', async () => {
    const almacen = new AlmacenMemoria();
    const operaciones: unknown[] = [];
    const transaccion = almacen.transaccion.bind(almacen);
    almacen.transaccion = async (ops) => (operaciones.push(...ops), transaccion(ops));
    const registro = new RegistroDeadLetter(almacen, loggerSilencioso, { maximoBytes: 1000, historial: 3, ttlSegundos: 60 });
    const grande = { ...mensaje(1, randomUUID()), data: { relleno: 'x'.repeat(200_000) } };
    expect(await registro.registrar(grande, 'eventos-reserva-dlq')).toBe('SUCCESS');
    const [guardado] = await registro.listar();
    expect(guardado!.data_truncada).toEqual({ bytes: JSON.stringify(grande.data).length });
    expect(typeof guardado!.data === 'string' && (guardado!.data as string).length).toBe(1000);
    expect(operaciones).toContainEqual(expect.objectContaining({ clave: `dead-letter:${grande.id}`, primeraEscritura: true, ttlSegundos: 60 }));
    // Every write is small whatever arrives: the record is capped, the index holds ids only.
    for (const op of operaciones as { valor: unknown }[]) expect(JSON.stringify(op.valor).length).toBeLessThan(2000);
  });

  test('the history is bounded: the newest first, the oldest fall out of the index', async () => {
    const registro = new RegistroDeadLetter(new AlmacenMemoria(), loggerSilencioso, { maximoBytes: 1000, historial: 3, ttlSegundos: 60 });
    const mensajes = Array.from({ length: 5 }, (_, i) => mensaje(1, randomUUID(), `m-${i}-a-b-c`));
    for (const m of mensajes) await registro.registrar(m, 'comandos-reserva-dlq');
    expect((await registro.listar()).map((m) => m.id_mensaje)).toEqual(['m-4-a-b-c', 'm-3-a-b-c', 'm-2-a-b-c']);
    expect((await registro.listar(2)).map((m) => m.id_mensaje)).toEqual(['m-4-a-b-c', 'm-3-a-b-c']);
  });

  test('the store down: RETRY is not answered as done (the message comes back)', async () => {
    const almacen = new AlmacenMemoria();
    almacen.transaccion = async () => Promise.reject(new Error('sidecar caído'));
    await expect(new RegistroDeadLetter(almacen, loggerSilencioso).registrar(mensaje(1, randomUUID()), 'eventos-reserva-dlq')).rejects.toThrow('sidecar caído');
  });
});
