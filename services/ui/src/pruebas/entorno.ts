import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { WebSocket, type ClientOptions } from 'ws';
import { configDapr, loggerEnMemoria, type ConfigLote } from '@aeroalpes/comun';
import { ejemploEventoReserva, type EventoReservaPayload, type TipoEventoReserva } from '@aeroalpes/contratos';
import { crearUi, type Ui } from '../app';
import type { OpcionesWebsocket } from '../config';
import { AeroAlpesMemoria } from './aeroalpes-memoria';
import { AlmacenMemoria } from '@aeroalpes/comun';

export const ORIGEN_PERMITIDO = 'https://aeroalpes.example';

export interface UiEnPrueba extends Ui {
  server: Server;
  base: string;
  puerto: number;
  almacen: AlmacenMemoria;
  aeroalpes: AeroAlpesMemoria;
  log: ReturnType<typeof loggerEnMemoria>;
  cerrar(): Promise<void>;
}

/** The whole BFF (real express app, real ws hub, real HTTP server on an ephemeral port) over in-memory ports. */
export async function arrancarUi(ws: Partial<OpcionesWebsocket> = {}, tokenApp?: string, lote?: ConfigLote, hostsPermitidos?: readonly string[]): Promise<UiEnPrueba> {
  const almacen = new AlmacenMemoria();
  const aeroalpes = new AeroAlpesMemoria();
  const log = loggerEnMemoria();
  const ui = crearUi({
    config: {
      dapr: configDapr(),
      pubsubDifusion: 'pubsub-broadcast',
      origenesPermitidos: [ORIGEN_PERMITIDO],
      ws: { pingMs: 60_000, maxBufferBytes: 1024 * 1024, maxClientes: 100, maxPorCliente: 100, mensajesPorSegundo: 1000, ...ws },
      recientesMaximo: 100,
      tokenApp,
      lote,
      ...(hostsPermitidos ? { hostsPermitidos } : {}),
    },
    almacen,
    aeroalpes,
    log,
  });
  const server = ui.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  ui.hub.adjuntar(server);
  const puerto = (server.address() as AddressInfo).port;
  return {
    ...ui,
    server,
    puerto,
    base: `http://127.0.0.1:${puerto}`,
    almacen,
    aeroalpes,
    log,
    async cerrar() {
      await ui.hub.cerrar();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** A CloudEvent as Dapr posts it to the subscription route (Avro already decoded to JSON). */
export function cloudEvent(tipo: TipoEventoReserva, idMensaje: string, cambios: Partial<EventoReservaPayload> = {}): Record<string, unknown> {
  const data = ejemploEventoReserva(tipo, { id_mensaje: idMensaje, ...cambios });
  return {
    specversion: '1.0',
    id: idMensaje,
    type: tipo,
    source: 'aeroalpes',
    datacontenttype: 'application/json',
    topic: 'eventos-reserva',
    pubsubname: 'pubsub-broadcast',
    time: '2022-11-22T10:00:00Z',
    data,
  };
}

/** Posts a bulk request like daprd 1.18 does (bulkSubscribe); returns entryId -> the status the BFF answered. */
export async function entregarLote(base: string, eventos: [entryId: string, evento: unknown][]): Promise<Record<string, string>> {
  const cuerpo = {
    id: 'lote-prueba',
    type: 'com.dapr.event.sent.bulk',
    topic: 'eventos-reserva',
    pubsubname: 'pubsub-broadcast',
    metadata: {},
    entries: eventos.map(([entryId, event]) => ({ entryId, event, contentType: 'application/cloudevents+json', metadata: {} })),
  };
  const r = await fetch(`${base}/eventos/reserva`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(cuerpo) });
  if (r.status !== 200) throw new Error(`la suscripción respondió HTTP ${r.status}`);
  const { statuses } = (await r.json()) as { statuses: { entryId: string; status: string }[] };
  return Object.fromEntries(statuses.map((s) => [s.entryId, s.status]));
}

/** Posts the event like the sidecar does; returns the status the BFF answered Dapr. */
export async function entregar(base: string, evento: unknown, cabeceras: Record<string, string> = {}): Promise<string> {
  const r = await fetch(`${base}/eventos/reserva`, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json', ...cabeceras },
    body: JSON.stringify(evento),
  });
  if (r.status !== 200) throw new Error(`la suscripción respondió HTTP ${r.status}`);
  return ((await r.json()) as { status: string }).status;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Mensaje = { tipo: string; [k: string]: any };

/** A real `ws` client that records every message it gets. */
export class ClientePrueba {
  readonly mensajes: Mensaje[] = [];
  cerrado: { code: number } | undefined;
  private esperas: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (datos) => {
      this.mensajes.push(JSON.parse(datos.toString()) as Mensaje);
      this.avisar();
    });
    ws.on('close', (code) => {
      this.cerrado = { code };
      this.avisar();
    });
    ws.on('error', () => undefined);
  }

  static async abrir(base: string, opciones: ClientOptions & { ruta?: string } = {}): Promise<ClientePrueba> {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}${opciones.ruta ?? '/ws'}`, opciones);
    const cliente = new ClientePrueba(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
    return cliente;
  }

  eventos(): Mensaje[] {
    return this.mensajes.filter((m) => m.tipo === 'evento');
  }

  enviar(mensaje: unknown): void {
    this.ws.send(JSON.stringify(mensaje));
  }

  /** Waits until `condicion()` holds (checked on every message and close). */
  async esperar(que: string, condicion: () => boolean, ms = 5000): Promise<void> {
    const limite = Date.now() + ms;
    while (!condicion()) {
      const restante = limite - Date.now();
      if (restante <= 0) throw new Error(`timeout esperando ${que}; mensajes: ${JSON.stringify(this.mensajes).slice(0, 500)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(restante, 200));
        this.esperas.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  private avisar(): void {
    const esperas = this.esperas;
    this.esperas = [];
    for (const e of esperas) e();
  }
}

/** Resolves with the HTTP status with which the server refused the upgrade. */
export function rechazoDeUpgrade(base: string, opciones: ClientOptions & { ruta?: string } = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}${opciones.ruta ?? '/ws'}`, opciones);
    ws.once('open', () => {
      ws.terminate();
      reject(new Error('la conexión fue aceptada'));
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', (err) => reject(err));
  });
}
