/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The booking page in a real browser (Debian's Chromium, headless) against the whole local stack:
 * ui BFF + daprd, aeroalpes + daprd, Pulsar, FerretDB. What a person does: book from the form,
 * watch the reserva arrive and move through its states live, on two pages at once, reload, and
 * get the server's reasons next to the fields.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page, WebSocketRoute } from 'playwright-core';
import { url } from '../support/stack';
import { abrirNavegador, esperarQue, fechaLocal, iguales, PaginaUi, reservar, RESULTADOS, textos, type Navegador, type Tramo } from './navegador';

const EVENTO_MS = 30_000;
const BOG: [string, string] = ['BOG', 'El Dorado, Bogotá'];
const JFK: [string, string] = ['JFK', 'John F. Kennedy International Airport'];
const LAX: [string, string] = ['LAX', 'Los Angeles International Airport'];

let navegador: Navegador;
const paginas: PaginaUi[] = [];

async function abrirPagina(antes?: (page: Page) => Promise<void>): Promise<PaginaUi> {
  const p = await PaginaUi.abrir(navegador, `${url('ui')}/`, antes);
  paginas.push(p);
  return p;
}

/** Waits until the reserva's card on page `p` shows `estado` and has received an event of `tipo`. */
async function esperarEstado(p: PaginaUi, id: string, tipo: string, estado: string): Promise<void> {
  const tarjeta = p.tarjeta(id);
  await tarjeta.locator(`li[data-tipo="${tipo}"]`).waitFor({ timeout: EVENTO_MS });
  await esperarQue(`estado ${estado} de ${id}`, () => textos(tarjeta.locator('.estado')), iguales([estado]));
}

const botones = (p: PaginaUi, id: string) => textos(p.tarjeta(id).locator('button[data-accion]'));

beforeAll(async () => {
  navegador = await abrirNavegador();
});

afterEach(() => {
  // A script error on any page fails the test that caused it.
  const errores = paginas.flatMap((p) => p.errores.splice(0));
  expect(errores).toEqual([]);
});

afterAll(async () => {
  await navegador?.cerrar();
});

describe('página de reservas en Chromium contra la plataforma local', () => {
  it('reserva desde el formulario, aprueba y paga; dos páginas reciben cada estado por el websocket; una recarga muestra el historial', async () => {
    const a = await abrirPagina();
    const b = await abrirPagina();

    const tramo: Tramo = { origen: BOG, destino: JFK, salida: fechaLocal(7, 8, 10), llegada: fechaLocal(7, 13, 10) };
    const { status, cuerpo } = await reservar(a, [tramo]);
    expect(status).toBe(202);
    const id = String(cuerpo.id);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

    // At once on the page that booked it: Pendiente (the command was accepted).
    const tarjetaA = a.tarjeta(id);
    expect((await tarjetaA.locator('.estado').innerText()).trim()).toBe('Pendiente'); // waits for the card
    expect(await tarjetaA.locator('.ruta').innerText()).toMatch(/BOG.*JFK/s);
    // Then created: ReservaCreada arrives over the websocket, on both pages.
    for (const p of [a, b]) {
      await esperarEstado(p, id, 'ReservaCreada', 'Pendiente');
      expect(p.tiposRecibidos(id)).toEqual(['ReservaCreada']);
    }
    expect(await tarjetaA.getAttribute('data-confirmada')).toBe('true');
    // Only the transitions a Pendiente reserva allows.
    expect(await botones(a, id)).toEqual(['Aprobar', 'Cancelar']);
    // Page B learns the route from the read model.
    await esperarQue(
      'la ruta en la página B',
      () => b.tarjeta(id).locator('.ruta').innerText(),
      (t) => /BOG.*JFK/s.test(t),
      EVENTO_MS,
    );

    await tarjetaA.getByRole('button', { name: 'Aprobar' }).click();
    for (const p of [a, b]) await esperarEstado(p, id, 'ReservaAprobada', 'Aprobada');
    expect(b.tiposRecibidos(id)).toEqual(['ReservaCreada', 'ReservaAprobada']);

    // Page B reloads mid-way: the history comes back (snapshot, list, stored events); nothing arrives live.
    const antes = b.eventosWs.length;
    await b.page.reload();
    await b.conectada();
    const tarjetaB = b.tarjeta(id);
    await esperarQue('historial tras recargar', () => textos(tarjetaB.locator('.eventos li')), iguales([/^Creada/, /^Aprobada/]), EVENTO_MS);
    expect(await textos(tarjetaB.locator('.estado'))).toEqual(['Aprobada']);
    expect(await botones(b, id)).toEqual(['Pagar', 'Cancelar']);
    expect(b.eventosWs.length).toBe(antes);

    // Pay from the reloaded page; the first page sees it arrive live.
    await tarjetaB.getByRole('button', { name: 'Pagar' }).click();
    for (const p of [a, b]) {
      await esperarEstado(p, id, 'ReservaPagada', 'Pagada');
      await esperarQue('sin botones en una reserva pagada', () => botones(p, id), iguales([]));
    }
    expect(a.tiposRecibidos(id)).toEqual(['ReservaCreada', 'ReservaAprobada', 'ReservaPagada']);
    // Page B's websocket after the reload carried only what happened since.
    expect(
      b.eventosWs
        .slice(antes)
        .filter((e) => e.id_reserva === id)
        .map((e) => e.tipo),
    ).toEqual(['ReservaPagada']);
    expect(b.saludos.length).toBe(2);
    // Each message once per page, whatever the broker redelivered.
    for (const p of [a, b]) {
      const ids = p.eventosWs.filter((e) => e.id_reserva === id).map((e) => e.id_mensaje);
      expect(new Set(ids).size).toBe(ids.length);
    }
    expect(await a.page.locator('#anuncios').innerText()).toContain('pagada');

    fs.mkdirSync(RESULTADOS, { recursive: true });
    const captura = path.join(RESULTADOS, 'ui-flujo.png');
    await a.page.screenshot({ path: captura, fullPage: true, animations: 'disabled' });
    process.stdout.write(`\n[ui] captura del flujo: ${captura}\n`);
  });

  it('muestra junto al campo la regla del servidor cuando origen = destino, sin crear nada', async () => {
    const p = await abrirPagina();
    const { status, cuerpo } = await reservar(p, [{ origen: BOG, destino: BOG, salida: fechaLocal(3, 9), llegada: fechaLocal(3, 11) }]);
    expect(status).toBe(400);
    const errores = cuerpo.errores as { campo: string; mensaje: string }[];
    const error = errores.find((e) => e.campo === 'itinerarios[0].odos[0].segmentos[0].legs[0].destino.codigo');
    expect(error).toBeDefined();
    const destino = p.page.locator('#leg0-destino-codigo');
    await esperarQue(
      'destino marcado como inválido',
      () => destino.getAttribute('class'),
      (c) => /is-invalid/.test(c ?? ''),
    );
    expect(await destino.getAttribute('aria-invalid')).toBe('true');
    expect((await p.page.locator('#leg0-destino-codigo-error').innerText()).trim()).toBe(error!.mensaje);
    expect(await p.page.locator('#leg0-destino-codigo-error').isVisible()).toBe(true);
    expect(await p.page.locator('#mensaje-formulario').innerText()).toContain('rechazó');
    expect(await destino.evaluate((el) => el === document.activeElement)).toBe(true);
    // Nothing was created: no BOG -> BOG reserva shows up (counting all cards would race the
    // page's first list read, which brings the reservas of earlier tests).
    await new Promise((r) => setTimeout(r, 1000));
    const rutas = await textos(p.page.locator('li.reserva .ruta'));
    expect(rutas.filter((r) => /BOG[^A-Z]*BOG/.test(r))).toEqual([]);
    // Correcting the field clears its error.
    await destino.fill('JFK');
    expect(await destino.getAttribute('class')).not.toMatch(/is-invalid/);
  });

  it('las ayudas del formulario frenan un código mal escrito antes de enviarlo', async () => {
    const p = await abrirPagina();
    let enviados = 0;
    p.page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/reservas') enviados++;
    });
    await p.page.fill('#leg0-origen-codigo', 'b0');
    await p.page.getByRole('button', { name: 'Reservar' }).click();
    await esperarQue(
      'origen inválido',
      () => p.page.locator('#leg0-origen-codigo').getAttribute('class'),
      (c) => /is-invalid/.test(c ?? ''),
    );
    expect(await p.page.locator('#leg0-origen-codigo-error').innerText()).toContain('3 letras mayúsculas');
    expect((await p.page.locator('#leg0-destino-codigo-error').innerText()).trim()).toBe('Obligatorio.');
    expect(enviados).toBe(0);
  });

  it('reserva con escala (BOG → JFK → LAX) usable con teclado y en pantalla de teléfono', async () => {
    const p = await abrirPagina();
    await p.page.setViewportSize({ width: 375, height: 740 });
    // Every input has a label; nothing overflows sideways on a phone.
    expect(await p.page.evaluate(() => [...document.querySelectorAll('input')].filter((i) => i.labels?.length === 0).map((i) => i.id))).toEqual([]);
    const { status, cuerpo } = await reservar(p, [
      { origen: BOG, destino: JFK, salida: fechaLocal(10, 6, 0), llegada: fechaLocal(10, 11, 0) },
      { origen: JFK, destino: LAX, salida: fechaLocal(10, 13, 0), llegada: fechaLocal(10, 19, 30) },
    ]);
    expect(status).toBe(202);
    const id = String(cuerpo.id);
    const tarjeta = p.tarjeta(id);
    expect(await tarjeta.locator('.ruta').innerText()).toMatch(/BOG.*JFK.*LAX/s);
    await esperarEstado(p, id, 'ReservaCreada', 'Pendiente');
    expect(await p.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

    // Keyboard only: focus "Cancelar" and press Enter.
    await tarjeta.getByRole('button', { name: 'Cancelar' }).focus();
    await p.page.keyboard.press('Enter');
    await esperarEstado(p, id, 'ReservaCancelada', 'Cancelada');
    await esperarQue('sin botones en una reserva cancelada', () => botones(p, id), iguales([]));
  });

  it('sin conexión muestra "Reconectando", reintenta con espera creciente y al volver se resincroniza', async () => {
    // The test stands between the page and the BFF's websocket: it can cut it and refuse reconnections.
    let caido = false;
    const intentos: number[] = [];
    let actual: WebSocketRoute | undefined;
    const p = await abrirPagina((page) =>
      page.routeWebSocket(/\/ws$/, (ws) => {
        intentos.push(Date.now());
        if (caido) return void ws.close({ code: 1011, reason: 'caída simulada' });
        ws.connectToServer();
        actual = ws;
      }),
    );
    const base = url('ui');
    const solicitud = {
      itinerarios: [
        {
          odos: [
            {
              segmentos: [
                {
                  legs: [
                    {
                      fecha_salida: '2030-01-10T10:00:00Z',
                      fecha_llegada: '2030-01-10T12:00:00Z',
                      origen: { codigo: 'MDE', nombre: 'José María Córdova' },
                      destino: { codigo: 'BOG', nombre: 'El Dorado' },
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const creada = await fetch(`${base}/api/reservas`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(solicitud) });
    expect(creada.status).toBe(202);
    const id = String(((await creada.json()) as { id: string }).id);
    await esperarEstado(p, id, 'ReservaCreada', 'Pendiente');
    // The page has read the reserva's document (its route): it has nothing left to poll for.
    await esperarQue(
      'la ruta MDE → BOG',
      () => p.tarjeta(id).locator('.ruta').innerText(),
      (t) => /MDE.*BOG/s.test(t),
      EVENTO_MS,
    );

    caido = true;
    intentos.length = 0;
    intentos.push(Date.now()); // the cut; then each attempt to reconnect
    await actual!.close({ code: 1011, reason: 'caída simulada' });
    await esperarQue(
      'indicador reconectando',
      () => p.page.locator('#conexion').getAttribute('data-estado'),
      (e) => e === 'reconectando',
    );
    expect((await p.page.locator('#conexion').innerText()).trim()).toBe('Reconectando…');
    // While the page is cut off, the reserva is approved elsewhere.
    const aprobada = await fetch(`${base}/api/reservas/${id}/aprobar`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(aprobada.status).toBe(200);
    await esperarQue(
      'ReservaAprobada en el historial del BFF',
      async () => ((await (await fetch(`${base}/api/reservas/${id}/eventos`)).json()) as { eventos: { tipo: string }[] }).eventos.map((e) => e.tipo),
      (tipos) => tipos.includes('ReservaAprobada'),
      EVENTO_MS,
    );
    await esperarQue(
      '4 intentos de reconexión',
      async () => intentos.length,
      (n) => n >= 5,
      20_000,
    );
    const esperas = intentos.slice(1).map((t, i) => t - intentos[i]);
    // 0.5 s, 1 s, 2 s ... each with jitter in [50 %, 100 %]: two steps later is always longer.
    expect(esperas[3]).toBeGreaterThan(esperas[1]);
    expect(esperas[2]).toBeGreaterThan(esperas[0]);
    // Cut off, the page has not heard of it.
    expect(await textos(p.tarjeta(id).locator('.estado'))).toEqual(['Pendiente']);

    caido = false;
    await p.conectada();
    await esperarQue('estado Aprobada tras resincronizar', () => textos(p.tarjeta(id).locator('.estado')), iguales(['Aprobada']), EVENTO_MS);
    await esperarQue('historial tras resincronizar', () => textos(p.tarjeta(id).locator('.eventos li')), iguales([/^Creada/, /^Aprobada/]), EVENTO_MS);
    expect(await botones(p, id)).toEqual(['Pagar', 'Cancelar']);
  });
});
