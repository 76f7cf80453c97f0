import type { Socket } from 'node:net';
import { EJEMPLO_ID_RESERVA } from '@aeroalpes/contratos';
import { arrancarUi, ClientePrueba, cloudEvent, entregar, ORIGEN_PERMITIDO, rechazoDeUpgrade, type UiEnPrueba } from '../pruebas/entorno';
import type { EventoUi } from './evento-ui';
import { CLAVE_RECIENTES } from './historial';

const OTRA_RESERVA = '9b2d7c1e-5a4f-4e3b-8c2d-1f0e9a8b7c6d';

let ui: UiEnPrueba;
const clientes: ClientePrueba[] = [];

async function abrir(opciones: Parameters<typeof ClientePrueba.abrir>[1] = {}): Promise<ClientePrueba> {
  const c = await ClientePrueba.abrir(ui.base, opciones);
  clientes.push(c);
  await c.esperar('hola', () => c.mensajes.some((m) => m.tipo === 'hola'));
  return c;
}

afterEach(async () => {
  for (const c of clientes.splice(0)) c.ws.terminate();
  await ui?.cerrar();
});

function eventoUi(i: number, motivo = ''): EventoUi {
  return { id_mensaje: `m-${i}`, tipo: 'ReservaRechazada', id_reserva: OTRA_RESERVA, estado: 'Rechazada', acciones: [], motivo, time: new Date(0).toISOString(), version: 0 };
}

describe('fan-out por websocket a navegadores (clientes ws reales)', () => {
  it('entrega cada evento a todos los clientes conectados, una vez por id de mensaje', async () => {
    ui = await arrancarUi();
    const n = 12;
    const todos = await Promise.all(Array.from({ length: n }, () => abrir()));
    expect(ui.hub.conectados).toBe(n);

    expect(await entregar(ui.base, cloudEvent('ReservaCreada', 'msg-1', { version_agregado: 1 }))).toBe('SUCCESS');
    expect(await entregar(ui.base, cloudEvent('ReservaAprobada', 'msg-2', { version_agregado: 2 }))).toBe('SUCCESS');
    // The broker redelivers msg-1: acknowledged, recorded once, pushed once.
    expect(await entregar(ui.base, cloudEvent('ReservaCreada', 'msg-1', { version_agregado: 1 }))).toBe('SUCCESS');
    expect(await entregar(ui.base, cloudEvent('ReservaPagada', 'msg-3', { version_agregado: 3 }))).toBe('SUCCESS');

    await Promise.all(todos.map((c) => c.esperar('3 eventos', () => c.eventos().length >= 3)));
    await new Promise((r) => setTimeout(r, 50));
    for (const c of todos) {
      expect(c.mensajes[0].tipo).toBe('hola');
      expect(c.eventos().map((m) => [m.evento.id_mensaje, m.evento.tipo, m.evento.estado, m.evento.acciones])).toEqual([
        ['msg-1', 'ReservaCreada', 'Pendiente', ['aprobar', 'cancelar']],
        ['msg-2', 'ReservaAprobada', 'Aprobada', ['pagar', 'cancelar']],
        ['msg-3', 'ReservaPagada', 'Pagada', []],
      ]);
      const primero = c.eventos()[0].evento as EventoUi;
      expect(primero).toMatchObject({ id_reserva: EJEMPLO_ID_RESERVA, version: 1, id_correlacion: 'corr-1' });
      expect(primero.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
    expect((await ui.historial.deReserva(EJEMPLO_ID_RESERVA)).map((e) => e.id_mensaje)).toEqual(['msg-1', 'msg-2', 'msg-3']);
  });

  it('termina a un cliente lento sin bloquear ni retrasar a los demás', async () => {
    ui = await arrancarUi({ maxBufferBytes: 256 * 1024 });
    const rapidos = await Promise.all([abrir(), abrir(), abrir()]);
    const lento = await abrir();
    // The slow browser stops reading: its TCP window fills, then the server-side buffer grows.
    (lento.ws as unknown as { _socket: Socket })._socket.pause();

    const motivo = 'x'.repeat(8 * 1024);
    const total = 3000; // ~24 MiB per client: far more than the kernel buffers of a paused socket
    for (let i = 0; i < total; i++) {
      // Synchronous (a count, never a promise): publishing cannot wait for any browser.
      expect(typeof ui.hub.publicar(eventoUi(i, motivo))).toBe('number');
      if (i % 8 === 7) await new Promise((r) => setImmediate(r));
    }
    await Promise.all(rapidos.map((c) => c.esperar(`${total} eventos`, () => c.eventos().length === total, 20_000)));
    for (const c of rapidos) expect(c.eventos().map((m) => m.evento.id_mensaje)).toEqual(Array.from({ length: total }, (_, i) => `m-${i}`));
    expect(ui.hub.conectados).toBe(3);
    expect(ui.log.lineas.some((l) => l.msg === 'websocket terminado' && l.campos?.reason === 'cliente lento')).toBe(true);

    (lento.ws as unknown as { _socket: Socket })._socket.resume();
    await lento.esperar('cierre del cliente lento', () => lento.cerrado !== undefined, 10_000);
    expect(lento.cerrado?.code).toBe(1006); // terminated, no closing handshake
    expect(lento.eventos().length).toBeLessThan(total);
  }, 60_000);

  it('rechaza el upgrade desde un origen no permitido y acepta el propio y los configurados', async () => {
    ui = await arrancarUi();
    expect(await rechazoDeUpgrade(ui.base, { origin: 'https://malicioso.example' })).toBe(403);
    expect(await rechazoDeUpgrade(ui.base, { origin: 'null' })).toBe(403);
    expect(await rechazoDeUpgrade(ui.base, { origin: `http://127.0.0.1:${ui.puerto + 1}` })).toBe(403);
    expect(await rechazoDeUpgrade(ui.base, { ruta: '/otra' })).toBe(404);
    await abrir({ origin: `http://127.0.0.1:${ui.puerto}` }); // the page's own host
    await abrir({ origin: ORIGEN_PERMITIDO }); // ALLOWED_ORIGINS
    await abrir(); // no Origin: not a browser
    expect(ui.hub.conectados).toBe(3);
  });

  it('con ping/pong termina las conexiones que no responden y mantiene las vivas', async () => {
    ui = await arrancarUi({ pingMs: 100 });
    const viva = await abrir();
    const muda = await abrir({ autoPong: false });
    await muda.esperar('terminación por falta de pong', () => muda.cerrado !== undefined, 3000);
    expect(muda.cerrado?.code).toBe(1006);
    await new Promise((r) => setTimeout(r, 350)); // more pings: the live one keeps answering
    expect(viva.cerrado).toBeUndefined();
    expect(ui.hub.conectados).toBe(1);
    expect(ui.log.lineas.some((l) => l.msg === 'websocket terminado' && l.campos?.reason === 'sin respuesta al ping')).toBe(true);
  });

  it('saluda con el snapshot de eventos recientes al conectar y al pedir resync', async () => {
    ui = await arrancarUi();
    await entregar(ui.base, cloudEvent('ReservaCreada', 'msg-a', { version_agregado: 1 }));
    await entregar(ui.base, cloudEvent('ReservaRechazada', 'msg-b', { id_reserva: OTRA_RESERVA, motivo: 'RutaValida: origen igual a destino' }));
    const c = await abrir();
    const hola = c.mensajes[0];
    expect(hola).toMatchObject({ tipo: 'hola', version: 1, ping_ms: 60_000 });
    expect(hola.eventos.map((e: EventoUi) => [e.id_mensaje, e.estado])).toEqual([
      ['msg-a', 'Pendiente'],
      ['msg-b', 'Rechazada'],
    ]);
    expect(hola.eventos[1].motivo).toBe('RutaValida: origen igual a destino');

    await entregar(ui.base, cloudEvent('ReservaAprobada', 'msg-c', { version_agregado: 2 }));
    await c.esperar('msg-c en vivo', () => c.eventos().length === 1);
    c.enviar({ tipo: 'resync' });
    await c.esperar('segundo hola', () => c.mensajes.filter((m) => m.tipo === 'hola').length === 2);
    const segundo = c.mensajes.filter((m) => m.tipo === 'hola')[1];
    expect(segundo.eventos.map((e: EventoUi) => e.id_mensaje)).toEqual(['msg-a', 'msg-b', 'msg-c']);
  });

  it('el saludo llega primero aunque el snapshot tarde, y los eventos de mientras después', async () => {
    ui = await arrancarUi();
    const leer = ui.almacen.leer.bind(ui.almacen);
    let soltar!: () => void;
    const bloqueo = new Promise<void>((r) => (soltar = r));
    ui.almacen.leer = async <T>(clave: string) => {
      if (clave === CLAVE_RECIENTES) await bloqueo;
      return leer<T>(clave);
    };
    const c = await ClientePrueba.abrir(ui.base);
    clientes.push(c);
    ui.hub.publicar(eventoUi(1));
    ui.hub.publicar(eventoUi(2));
    await new Promise((r) => setTimeout(r, 50));
    expect(c.mensajes).toEqual([]);
    soltar();
    await c.esperar('hola y 2 eventos', () => c.mensajes.length === 3);
    expect(c.mensajes.map((m) => m.tipo)).toEqual(['hola', 'evento', 'evento']);
  });

  it('un navegador que sigue reservas recibe sólo las suyas; "todos" lo devuelve a todas', async () => {
    ui = await arrancarUi();
    const c = await abrir();
    c.enviar({ tipo: 'seguir', id_reserva: OTRA_RESERVA.toUpperCase() });
    await c.esperar('siguiendo', () => c.mensajes.some((m) => m.tipo === 'siguiendo'));
    expect(c.mensajes.find((m) => m.tipo === 'siguiendo')?.id_reservas).toEqual([OTRA_RESERVA]);
    await entregar(ui.base, cloudEvent('ReservaCreada', 'msg-x', { version_agregado: 1 })); // EJEMPLO_ID_RESERVA
    await entregar(ui.base, cloudEvent('ReservaRechazada', 'msg-y', { id_reserva: OTRA_RESERVA }));
    await c.esperar('msg-y', () => c.eventos().length === 1);
    expect(c.eventos()[0].evento.id_mensaje).toBe('msg-y');
    c.enviar({ tipo: 'todos' });
    await c.esperar('siguiendo []', () => c.mensajes.filter((m) => m.tipo === 'siguiendo').length === 2);
    await entregar(ui.base, cloudEvent('ReservaAprobada', 'msg-z', { version_agregado: 2 }));
    await c.esperar('msg-z', () => c.eventos().length === 2);

    c.enviar({ tipo: 'seguir', id_reserva: 'no-es-uuid' });
    c.ws.send('no es json');
    c.enviar({ tipo: 'otra-cosa' });
    await c.esperar('3 errores', () => c.mensajes.filter((m) => m.tipo === 'error').length === 3);
    expect(c.mensajes.filter((m) => m.tipo === 'error').map((m) => m.mensaje)).toEqual([
      'seguir: id_reserva debe ser un UUID',
      'el mensaje no es JSON',
      expect.stringContaining('tipo de mensaje desconocido'),
    ]);
    expect(c.cerrado).toBeUndefined();
  });

  it('rechaza un Host que no es el suyo (DNS rebinding), aunque el Origin coincida con él', async () => {
    ui = await arrancarUi({}, undefined, undefined, ['reservas.example']);
    expect(await rechazoDeUpgrade(ui.base, { headers: { host: 'malicioso.example' }, origin: 'http://malicioso.example' })).toBe(403);
    expect(await rechazoDeUpgrade(ui.base)).toBe(403); // 127.0.0.1:<port> is not in this list
    await abrir({ headers: { host: 'reservas.example' }, origin: 'https://reservas.example' });
    expect(ui.hub.conectados).toBe(1);
  });

  it('limita las conexiones por dirección de cliente (429) y libera el cupo al cerrar', async () => {
    ui = await arrancarUi({ maxPorCliente: 2 });
    const a = await abrir();
    await abrir();
    expect(await rechazoDeUpgrade(ui.base)).toBe(429);
    a.ws.close();
    await a.esperar('cierre', () => ui.hub.conectados === 1);
    await abrir();
    expect(ui.hub.conectados).toBe(2);
  });

  it('limita los mensajes por segundo: los de más reciben un error y, si siguen, se cierra con 1008', async () => {
    ui = await arrancarUi({ mensajesPorSegundo: 1 });
    const c = await abrir();
    for (let i = 0; i < 30; i++) c.enviar({ tipo: 'todos' });
    await c.esperar('cierre por abuso', () => c.cerrado !== undefined);
    expect(c.cerrado?.code).toBe(1008);
    expect(c.mensajes.filter((m) => m.tipo === 'siguiendo').length).toBeLessThanOrEqual(2);
    expect(c.mensajes.filter((m) => m.tipo === 'error' && /demasiados mensajes/.test(String(m.mensaje))).length).toBeGreaterThan(0);
  });

  it('rechaza conexiones por encima del máximo con 503', async () => {
    ui = await arrancarUi({ maxClientes: 2 });
    await abrir();
    await abrir();
    expect(await rechazoDeUpgrade(ui.base)).toBe(503);
  });

  it('al cerrar despide a los navegadores con 1001', async () => {
    ui = await arrancarUi();
    const c = await abrir();
    await ui.hub.cerrar();
    await c.esperar('cierre', () => c.cerrado !== undefined);
    expect(c.cerrado?.code).toBe(1001);
  });
});
