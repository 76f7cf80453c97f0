/**
 * Browser helpers for the ui tests: Debian's Chromium driven by playwright-core, headless, with a
 * fresh profile per run, and a recorder of what each page receives over its websocket.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const CHROMIUM_BIN = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
export const ARGS_CHROMIUM = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
export const RESULTADOS = path.resolve(__dirname, '..', '..', 'test-results');

export interface Navegador {
  contexto: BrowserContext;
  cerrar(): Promise<void>;
}

export async function abrirNavegador(): Promise<Navegador> {
  if (!fs.existsSync(CHROMIUM_BIN)) {
    throw new Error(`Chromium not found at ${CHROMIUM_BIN}: run \`npm run setup\` (installs Debian's chromium) or set CHROMIUM_BIN`);
  }
  const perfil = fs.mkdtempSync(path.join(os.tmpdir(), 'aeroalpes-chromium-'));
  const contexto = await chromium.launchPersistentContext(perfil, {
    executablePath: CHROMIUM_BIN,
    headless: true,
    args: ARGS_CHROMIUM,
    viewport: { width: 1280, height: 900 },
    locale: 'es-CO',
    timezoneId: 'America/Bogota',
  });
  return {
    contexto,
    async cerrar() {
      await contexto.close();
      fs.rmSync(perfil, { recursive: true, force: true });
    },
  };
}

export interface EventoRecibido {
  id_mensaje: string;
  tipo: string;
  id_reserva: string;
  estado: string;
  motivo?: string;
}

/** A page of the ui with a log of the websocket frames it received and of its errors. */
export class PaginaUi {
  readonly eventosWs: EventoRecibido[] = [];
  readonly saludos: { eventos: EventoRecibido[] }[] = [];
  readonly errores: string[] = [];

  private constructor(readonly page: Page) {
    page.on('websocket', (ws) => {
      ws.on('framereceived', ({ payload }) => {
        let m: { tipo?: string; evento?: EventoRecibido; eventos?: EventoRecibido[] };
        try {
          m = JSON.parse(String(payload)) as typeof m;
        } catch {
          return;
        }
        if (m.tipo === 'evento' && m.evento) this.eventosWs.push(m.evento);
        if (m.tipo === 'hola') this.saludos.push({ eventos: m.eventos ?? [] });
      });
    });
    page.on('pageerror', (e) => this.errores.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      // A 400 answer to the form is logged by Chromium as a failed resource: expected in these tests.
      if (m.type() === 'error' && !/status of 400/.test(m.text())) this.errores.push(`console: ${m.text()}`);
    });
  }

  /** Opens `url` in a new tab; `antes` runs before navigation (e.g. to route the websocket). */
  static async abrir(navegador: Navegador, url: string, antes?: (page: Page) => Promise<void>): Promise<PaginaUi> {
    const p = new PaginaUi(await navegador.contexto.newPage());
    if (antes) await antes(p.page);
    await p.page.goto(url);
    await p.conectada();
    return p;
  }

  async conectada(): Promise<void> {
    await this.page.locator('#conexion[data-estado="conectado"]').waitFor({ timeout: 15_000 });
  }

  tarjeta(id: string): Locator {
    return this.page.locator(`li.reserva[data-id="${id}"]`);
  }

  /** The event types of a reserva received over this page's websocket, in arrival order. */
  tiposRecibidos(id: string): string[] {
    return this.eventosWs.filter((e) => e.id_reserva === id).map((e) => e.tipo);
  }
}

/** `YYYY-MM-DDTHH:MM` for a datetime-local input, `dias` days from now at `hora`:`minuto` (page's local time). */
export function fechaLocal(dias: number, hora: number, minuto = 0): string {
  const d = new Date(Date.now() + dias * 86_400_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(hora)}:${p(minuto)}`;
}

export interface Tramo {
  origen: [string, string];
  destino: [string, string];
  salida: string;
  llegada: string;
}

/** Fills the booking form as a person would and presses "Reservar"; returns the BFF's answer. */
export async function reservar(pagina: PaginaUi, tramos: Tramo[]): Promise<{ status: number; cuerpo: Record<string, unknown> }> {
  const { page } = pagina;
  const segundo = page.getByLabel('Agregar un segundo tramo (escala, p. ej. JFK → LAX)');
  if ((await segundo.isChecked()) !== tramos.length > 1) await segundo.click();
  for (const [i, t] of tramos.entries()) {
    await page.fill(`#leg${i}-origen-codigo`, t.origen[0]);
    await page.fill(`#leg${i}-origen-nombre`, t.origen[1]);
    await page.fill(`#leg${i}-destino-codigo`, t.destino[0]);
    await page.fill(`#leg${i}-destino-nombre`, t.destino[1]);
    await page.fill(`#leg${i}-fecha-salida`, t.salida);
    await page.fill(`#leg${i}-fecha-llegada`, t.llegada);
  }
  const [respuesta] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/reservas', { timeout: 20_000 }),
    page.getByRole('button', { name: 'Reservar' }).click(),
  ]);
  return { status: respuesta.status(), cuerpo: (await respuesta.json()) as Record<string, unknown> };
}

/**
 * Polls `leer()` until `cumple(valor)` (playwright-core has no web-first assertions): returns the
 * value, or fails after `ms` naming what was awaited and the last value seen.
 */
export async function esperarQue<T>(que: string, leer: () => Promise<T>, cumple: (valor: T) => boolean, ms = 10_000): Promise<T> {
  const limite = Date.now() + ms;
  let ultimo: T | undefined;
  let error: unknown;
  for (;;) {
    try {
      ultimo = await leer();
      if (cumple(ultimo)) return ultimo;
    } catch (err) {
      error = err;
    }
    if (Date.now() > limite) {
      throw new Error(`timeout (${ms} ms) esperando ${que}; último valor: ${JSON.stringify(ultimo)}${error ? `; error: ${String(error)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The visible texts of every element the locator matches, trimmed. */
export async function textos(locator: Locator): Promise<string[]> {
  return (await locator.allInnerTexts()).map((t) => t.trim());
}

export function iguales(esperado: (string | RegExp)[]): (valor: string[]) => boolean {
  return (valor) => valor.length === esperado.length && valor.every((v, i) => (typeof esperado[i] === 'string' ? v === esperado[i] : (esperado[i] as RegExp).test(v)));
}
