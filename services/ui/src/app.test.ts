import fs from 'node:fs';
import path from 'node:path';
import { apagador } from '@aeroalpes/comun';
import { EJEMPLO_ID_RESERVA } from '@aeroalpes/contratos';
import { arrancarUi, ClientePrueba, cloudEvent, entregar, entregarLote, type UiEnPrueba } from './pruebas/entorno';
import { claveEvento } from './eventos/historial';
import { CARPETA_PUBLICA } from './web/estatico';

type Json = Record<string, any>;
const json = async (r: Response): Promise<Json> => (await r.json()) as Json;

let ui: UiEnPrueba;
afterEach(async () => {
  await ui?.cerrar();
});

const SOLICITUD = {
  itinerarios: [
    {
      odos: [
        {
          segmentos: [
            {
              legs: [
                {
                  fecha_salida: '2022-11-22T13:10:00Z',
                  fecha_llegada: '2022-11-22T15:10:00Z',
                  origen: { codigo: 'BOG', nombre: 'El Dorado, Bogotá' },
                  destino: { codigo: 'JFK', nombre: 'John F. Kennedy International Airport' },
                },
              ],
            },
          ],
        },
      ],
    },
  ],
};

const post = (base: string, ruta: string, cuerpo?: unknown, cabeceras: Record<string, string> = {}) =>
  fetch(`${base}${ruta}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...cabeceras },
    ...(cuerpo === undefined ? {} : { body: typeof cuerpo === 'string' ? cuerpo : JSON.stringify(cuerpo) }),
  });

describe('suscripción a eventos-reserva', () => {
  it('declara la suscripción a Dapr con su dead-letter topic, por el componente de una suscripción por réplica', async () => {
    ui = await arrancarUi();
    const r = await fetch(`${ui.base}/dapr/subscribe`);
    expect(await json(r)).toEqual([{ pubsubname: 'pubsub-broadcast', topic: 'eventos-reserva', route: '/eventos/reserva', deadLetterTopic: 'eventos-reserva-dlq' }]);
  });

  it('con lote configurado declara la entrega en lote (bulkSubscribe) de Dapr', async () => {
    ui = await arrancarUi({}, undefined, { maxMensajes: 50, esperaMs: 20 });
    const r = await fetch(`${ui.base}/dapr/subscribe`);
    expect((await json(r))[0]).toMatchObject({ topic: 'eventos-reserva', bulkSubscribe: { enabled: true, maxMessagesCount: 50, maxAwaitDurationMs: 20 } });
  });

  it('una entrega en lote: cada entrada con su estado, una escritura para el lote, y cada evento empujado una vez', async () => {
    ui = await arrancarUi({}, undefined, { maxMensajes: 50, esperaMs: 20 });
    const c = await ClientePrueba.abrir(ui.base);
    await c.esperar('hola', () => c.mensajes.length === 1);
    const creada = cloudEvent('ReservaCreada', 'msg-1', { version_agregado: 1 });
    const aprobada = cloudEvent('ReservaAprobada', 'msg-2', { version_agregado: 2 });
    expect(
      await entregarLote(ui.base, [
        ['1', creada],
        ['2', aprobada],
        ['3', creada], // the same message twice in one batch
        ['4', { ...cloudEvent('ReservaPagada', 'msg-3', { version_agregado: 3 }), type: 'ReservaInventada' }],
        ['5', { specversion: '1.0', type: 'ReservaCreada' }], // no CloudEvent id
        ['6', cloudEvent('ReservaCreada', 'msg-9', { version_agregado: 1 })], // another id for version 1
      ]),
    ).toEqual({ '1': 'SUCCESS', '2': 'SUCCESS', '3': 'SUCCESS', '4': 'DROP', '5': 'DROP', '6': 'DROP' });
    expect(ui.almacen.transacciones).toBe(1);
    // The next batch redelivers msg-1: recorded already, pushed already.
    expect(await entregarLote(ui.base, [['a', creada]])).toEqual({ a: 'SUCCESS' });
    await entregar(ui.base, cloudEvent('ReservaPagada', 'msg-3', { version_agregado: 3 }));
    await c.esperar('msg-3', () => c.eventos().length >= 3);
    expect(c.eventos().map((m) => m.evento.id_mensaje)).toEqual(['msg-1', 'msg-2', 'msg-3']);
    const r = await json(await fetch(`${ui.base}/api/reservas/${EJEMPLO_ID_RESERVA}/eventos`));
    expect(r.eventos.map((e: { id_mensaje: string }) => e.id_mensaje)).toEqual(['msg-1', 'msg-2', 'msg-3']);

    ui.almacen.fallar = true;
    expect(
      await entregarLote(ui.base, [
        ['x', cloudEvent('ReservaCancelada', 'msg-4', { version_agregado: 4 })],
        ['y', { sin: 'id' }],
      ]),
    ).toEqual({ x: 'RETRY', y: 'DROP' });
    c.ws.terminate();
  });

  it('con APP_API_TOKEN sólo el sidecar (cabecera dapr-api-token) puede entregar eventos', async () => {
    ui = await arrancarUi({}, 'secreto-de-prueba');
    await expect(entregar(ui.base, cloudEvent('ReservaCreada', 'msg-1'))).rejects.toThrow('HTTP 401');
    await expect(entregar(ui.base, cloudEvent('ReservaCreada', 'msg-1'), { 'dapr-api-token': 'otro-secreto-xxx' })).rejects.toThrow('HTTP 401');
    expect((await fetch(`${ui.base}/dapr/subscribe`)).status).toBe(401);
    expect(await entregar(ui.base, cloudEvent('ReservaCreada', 'msg-1'), { 'dapr-api-token': 'secreto-de-prueba' })).toBe('SUCCESS');
    expect((await fetch(`${ui.base}/dapr/subscribe`, { headers: { 'dapr-api-token': 'secreto-de-prueba' } })).status).toBe(200);
    expect((await fetch(`${ui.base}/health`)).status).toBe(200);
  });

  it('un evento que rompe el contrato es DROP (al dead-letter) y no llega a nadie', async () => {
    ui = await arrancarUi();
    const c = await ClientePrueba.abrir(ui.base);
    await c.esperar('hola', () => c.mensajes.length === 1);
    expect(await entregar(ui.base, { ...cloudEvent('ReservaCreada', 'msg-1'), type: 'ReservaInventada' })).toBe('DROP');
    const sinReserva = cloudEvent('ReservaAprobada', 'msg-2');
    (sinReserva.data as Record<string, unknown>).id_reserva = '';
    expect(await entregar(ui.base, sinReserva)).toBe('DROP');
    expect(await entregar(ui.base, { specversion: '1.0', type: 'ReservaCreada' })).toBe('DROP'); // no CloudEvent id
    expect(await entregar(ui.base, cloudEvent('ReservaPagada', 'msg-3', { version_agregado: 3 }))).toBe('SUCCESS');
    await c.esperar('msg-3', () => c.eventos().length === 1);
    expect(c.eventos()[0].evento.id_mensaje).toBe('msg-3');
    expect(ui.almacen.datos.has(claveEvento(EJEMPLO_ID_RESERVA, 3))).toBe(true);
    c.ws.terminate();
  });

  it('si el state store falla responde RETRY sin empujar nada; la reentrega lo registra y empuja una vez', async () => {
    ui = await arrancarUi();
    const c = await ClientePrueba.abrir(ui.base);
    await c.esperar('hola', () => c.mensajes.length === 1);
    ui.almacen.fallar = true;
    expect(await entregar(ui.base, cloudEvent('ReservaCreada', 'msg-1', { version_agregado: 1 }))).toBe('RETRY');
    expect(await entregar(ui.base, cloudEvent('ReservaCreada', 'msg-1', { version_agregado: 1 }))).toBe('RETRY');
    ui.almacen.fallar = false;
    expect(await entregar(ui.base, cloudEvent('ReservaCreada', 'msg-1', { version_agregado: 1 }))).toBe('SUCCESS');
    expect(await entregar(ui.base, cloudEvent('ReservaCreada', 'msg-1', { version_agregado: 1 }))).toBe('SUCCESS');
    await entregar(ui.base, cloudEvent('ReservaAprobada', 'msg-2', { version_agregado: 2 }));
    await c.esperar('msg-2', () => c.eventos().length >= 2);
    expect(c.eventos().map((m) => m.evento.id_mensaje)).toEqual(['msg-1', 'msg-2']);
    expect(ui.log.lineas.filter((l) => l.nivel === 'error' && l.msg.includes('se reintentará'))).toHaveLength(2);
    c.ws.terminate();
  });
});

describe('API de reservas (reenviada a AeroAlpes por invocación de Dapr)', () => {
  it('POST /api/reservas reenvía el cuerpo con el id de correlación y responde 202 con Location', async () => {
    ui = await arrancarUi();
    ui.aeroalpes.respuestaCrear = () => ({ status: 200, cuerpo: { id: EJEMPLO_ID_RESERVA, mensaje: 'comando CrearReserva aceptado' } });
    const r = await post(ui.base, '/api/reservas', SOLICITUD, { 'x-correlation-id': 'corr-ui-1' });
    expect(r.status).toBe(202);
    expect(r.headers.get('location')).toBe(`/api/reservas/${EJEMPLO_ID_RESERVA}/eventos`);
    expect(r.headers.get('x-correlation-id')).toBe('corr-ui-1');
    expect(await json(r)).toEqual({ id: EJEMPLO_ID_RESERVA, mensaje: 'comando CrearReserva aceptado' });
    expect(ui.aeroalpes.llamadas).toEqual([{ op: 'crearReserva', args: [SOLICITUD], ctx: { idCorrelacion: 'corr-ui-1' } }]);
  });

  it('pasa tal cual el 400 de AeroAlpes con los campos y reglas', async () => {
    ui = await arrancarUi();
    const error = {
      error: 'regla_negocio',
      mensaje: 'el origen (BOG) y el destino (BOG) deben ser distintos',
      errores: [{ campo: 'itinerarios[0].odos[0].segmentos[0].legs[0].destino.codigo', regla: 'RutaValida', mensaje: 'el origen (BOG) y el destino (BOG) deben ser distintos' }],
    };
    ui.aeroalpes.respuestaCrear = () => ({ status: 400, cuerpo: error });
    const r = await post(ui.base, '/api/reservas', SOLICITUD);
    expect(r.status).toBe(400);
    expect(await json(r)).toEqual(error);
  });

  it('una acción que no se declara JSON (un formulario de otro sitio) es 415 y no llega a AeroAlpes', async () => {
    ui = await arrancarUi();
    const id = '6c1e3c9e-4f0b-4b8e-9b1a-2f7d1a0c5e11';
    const formulario = await post(ui.base, `/api/reservas/${id}/cancelar`, '', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(formulario.status).toBe(415);
    const sinTipo = await fetch(`${ui.base}/api/reservas/${id}/cancelar`, { method: 'POST' });
    expect(sinTipo.status).toBe(415);
    expect(ui.aeroalpes.llamadas).toEqual([]);
  });

  it('rechaza en el BFF lo que no es un objeto JSON, sin llamar a AeroAlpes', async () => {
    ui = await arrancarUi();
    const lista = await post(ui.base, '/api/reservas', [1, 2]);
    expect(lista.status).toBe(400);
    expect((await json(lista)).error).toBe('validacion');
    const roto = await post(ui.base, '/api/reservas', '{"itinerarios": [');
    expect(roto.status).toBe(400);
    expect((await json(roto)).error).toBe('json_invalido');
    const texto = await post(ui.base, '/api/reservas', 'hola', { 'content-type': 'text/plain' });
    expect(texto.status).toBe(415); // not declared JSON: refused before anything is read or forwarded
    expect(ui.aeroalpes.llamadas).toEqual([]);
  });

  it('POST /api/reservas/{id}/aprobar|cancelar|pagar pasa estados y cuerpos (200, 404, 409)', async () => {
    ui = await arrancarUi();
    const id = EJEMPLO_ID_RESERVA.toUpperCase();
    const ok = await post(ui.base, `/api/reservas/${id}/aprobar`);
    expect(ok.status).toBe(200);
    // AeroAlpes' document, plus the actions its new state allows (the page's buttons).
    expect(await json(ok)).toEqual({ id: EJEMPLO_ID_RESERVA, estado: 'Aprobada', version: 2, acciones: ['pagar', 'cancelar'] });
    expect(ui.aeroalpes.llamadas[0]).toMatchObject({ op: 'ejecutarAccion', args: [EJEMPLO_ID_RESERVA, 'aprobar'] });

    const conflicto = { error: 'transicion_invalida', mensaje: 'no se puede pagar una reserva Pendiente', estado_actual: 'Pendiente', accion: 'pagar' };
    ui.aeroalpes.respuestaAccion = () => ({ status: 409, cuerpo: conflicto });
    const r409 = await post(ui.base, `/api/reservas/${EJEMPLO_ID_RESERVA}/pagar`);
    expect(r409.status).toBe(409);
    expect(await json(r409)).toEqual(conflicto);

    ui.aeroalpes.respuestaAccion = () => ({ status: 404, cuerpo: { error: 'no_encontrado', mensaje: 'reserva no encontrada' } });
    expect((await post(ui.base, `/api/reservas/${EJEMPLO_ID_RESERVA}/cancelar`)).status).toBe(404);

    const accion = await post(ui.base, `/api/reservas/${EJEMPLO_ID_RESERVA}/borrar`);
    expect(accion.status).toBe(404);
    const malId = await post(ui.base, '/api/reservas/123/aprobar');
    expect(malId.status).toBe(400);
    expect((await json(malId)).errores[0]).toMatchObject({ campo: 'id', regla: 'format' });
    expect(ui.aeroalpes.llamadas).toHaveLength(3);
  });

  it('GET /api/reservas lista el modelo de lectura y añade el historial de eventos de cada reserva', async () => {
    ui = await arrancarUi();
    const doc = { id: EJEMPLO_ID_RESERVA, estado: 'Aprobada', version: 2 };
    const otro = { id: '9b2d7c1e-5a4f-4e3b-8c2d-1f0e9a8b7c6d', estado: 'Pendiente', version: 1 };
    ui.aeroalpes.respuestaListar = () => ({ status: 200, cuerpo: { reservas: [doc, otro], pagina: 1, tamano: 2, total: 7, total_paginas: 4 } });
    await entregar(ui.base, cloudEvent('ReservaAprobada', 'msg-2', { version_agregado: 2 }));
    await entregar(ui.base, cloudEvent('ReservaCreada', 'msg-1', { version_agregado: 1 }));

    const r = await fetch(`${ui.base}/api/reservas?pagina=1&tamano=2&estado=Aprobada`);
    expect(r.status).toBe(200);
    const cuerpo = await json(r);
    expect(ui.aeroalpes.llamadas[0].args).toEqual([{ pagina: '1', tamano: '2', estado: 'Aprobada' }]);
    expect(cuerpo).toMatchObject({ pagina: 1, tamano: 2, total: 7, historial_disponible: true });
    expect(cuerpo.reservas[0].eventos.map((e: { id_mensaje: string }) => e.id_mensaje)).toEqual(['msg-1', 'msg-2']);
    expect(cuerpo.reservas[0].acciones).toEqual(['pagar', 'cancelar']);
    expect(cuerpo.reservas[0].eventos.map((e: { acciones: string[] }) => e.acciones)).toEqual([
      ['aprobar', 'cancelar'],
      ['pagar', 'cancelar'],
    ]);
    expect(cuerpo.reservas[1]).toEqual({ ...otro, acciones: ['aprobar', 'cancelar'], eventos: [] });

    ui.almacen.fallar = true;
    const sinHistorial = await json(await fetch(`${ui.base}/api/reservas`));
    expect(sinHistorial.historial_disponible).toBe(false);
    expect(sinHistorial.reservas[0].eventos).toEqual([]);

    expect((await fetch(`${ui.base}/api/reservas?tamano=1%3B2`)).status).toBe(400);
    const llamadas = ui.aeroalpes.llamadas.length;
    for (const [consulta, campo] of [
      ['pagina=01', 'pagina'],
      ['tamano=1e3', 'tamano'],
      ['pagina=%2B3', 'pagina'],
      ['pagina=0x10', 'pagina'],
      ['tamano=%202', 'tamano'],
    ]) {
      const malo = await fetch(`${ui.base}/api/reservas?${consulta}`);
      expect({ consulta, estado: malo.status, ...(await json(malo)) }).toMatchObject({ consulta, estado: 400, error: 'validacion', errores: [{ campo, regla: 'type' }] });
    }
    expect(ui.aeroalpes.llamadas).toHaveLength(llamadas); // refused in the BFF, AeroAlpes never asked
    ui.aeroalpes.respuestaListar = () => ({ status: 503, cuerpo: { error: 'aeroalpes_no_disponible', mensaje: 'x' } });
    expect((await fetch(`${ui.base}/api/reservas`)).status).toBe(503);
  });

  it('GET /api/reservas/{id}/eventos devuelve el historial guardado (para una página que recarga)', async () => {
    ui = await arrancarUi();
    await entregar(ui.base, cloudEvent('ReservaCreada', 'msg-1', { version_agregado: 1 }));
    await entregar(ui.base, cloudEvent('ReservaPagada', 'msg-3', { version_agregado: 3 }));
    await entregar(ui.base, cloudEvent('ReservaAprobada', 'msg-2', { version_agregado: 2 }));
    const r = await json(await fetch(`${ui.base}/api/reservas/${EJEMPLO_ID_RESERVA}/eventos`));
    expect(r.id_reserva).toBe(EJEMPLO_ID_RESERVA);
    expect(r.eventos.map((e: { tipo: string; acciones: string[] }) => [e.tipo, e.acciones])).toEqual([
      ['ReservaCreada', ['aprobar', 'cancelar']],
      ['ReservaAprobada', ['pagar', 'cancelar']],
      ['ReservaPagada', []],
    ]);
    expect((await fetch(`${ui.base}/api/reservas/nada/eventos`)).status).toBe(400);
    ui.almacen.fallar = true;
    const caido = await fetch(`${ui.base}/api/reservas/${EJEMPLO_ID_RESERVA}/eventos`);
    expect(caido.status).toBe(503);
    expect((await json(caido)).error).toBe('historial_no_disponible');
  });
});

describe('la página y sus recursos', () => {
  it('sirve la página con CSP, Bootstrap desde node_modules y sus módulos', async () => {
    ui = await arrancarUi();
    const pagina = await fetch(`${ui.base}/`);
    expect(pagina.status).toBe(200);
    expect(pagina.headers.get('content-type')).toMatch(/text\/html/);
    expect(pagina.headers.get('content-security-policy')).toContain("connect-src 'self'");
    const html = await pagina.text();
    expect(html).toContain('AeroAlpes');
    expect(html).toContain('<html lang="es">');
    for (const ruta of ['vendor/bootstrap/bootstrap.min.css', 'vendor/bootstrap/bootstrap.bundle.min.js', 'app.js', 'js/reservas.js', 'styles.css', 'img/logo.svg']) {
      const r = await fetch(`${ui.base}/${ruta}`);
      expect([ruta, r.status]).toEqual([ruta, 200]);
    }
    expect((await fetch(`${ui.base}/app.js`)).headers.get('content-type')).toMatch(/javascript/);
    const css = await (await fetch(`${ui.base}/vendor/bootstrap/bootstrap.min.css`)).text();
    expect(css).toContain('Bootstrap');
    const nada = await fetch(`${ui.base}/no-existe`);
    expect(nada.status).toBe(404);
    expect((await json(nada)).error).toBe('no_encontrado');
    expect(await (await fetch(`${ui.base}/health`)).json()).toEqual({ status: 'up', navegadores: 0 });
  });

  it('no carga nada de fuera: sin URLs absolutas ni CDN en los archivos de la página', () => {
    const archivos: string[] = [];
    const recorrer = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) recorrer(p);
        else if (/\.(html|js|css)$/.test(e.name)) archivos.push(p);
      }
    };
    recorrer(CARPETA_PUBLICA);
    expect(archivos.length).toBeGreaterThanOrEqual(6);
    for (const archivo of archivos) {
      const texto = fs.readFileSync(archivo, 'utf8');
      expect([archivo, texto.match(/(?:src|href)\s*=\s*["'](?:https?:)?\/\/[^"']*/gi)]).toEqual([archivo, null]);
      expect([archivo, /cdn\.|jsdelivr|unpkg|cdnjs/i.test(texto)]).toEqual([archivo, false]);
      expect([archivo, /\bstyle\s*=\s*["']/.test(texto) && archivo.endsWith('.html')]).toEqual([archivo, false]); // CSP: no inline styles
    }
  });
});

describe('apagado', () => {
  it('al apagar: /health/ready pasa a draining, los websockets se cierran con 1001 y el servidor termina sin esperar al plazo', async () => {
    ui = await arrancarUi();
    const c = await ClientePrueba.abrir(ui.base);
    await c.esperar('hola', () => c.mensajes.length === 1);
    expect((await fetch(`${ui.base}/health/ready`)).status).toBe(200);
    const inicio = Date.now();
    await apagador(ui.server, ui.log, { salud: ui.salud, alDrenar: () => ui.hub.cerrar(), apagadoMs: 5000 })('SIGTERM');
    expect(Date.now() - inicio).toBeLessThan(3000);
    expect(await ui.salud.listo()).toEqual({ status: 'draining', checks: {} });
    await c.esperar('el cierre', () => c.cerrado !== undefined);
    expect(c.cerrado).toEqual({ code: 1001 });
    expect(ui.server.listening).toBe(false);
  });
});
