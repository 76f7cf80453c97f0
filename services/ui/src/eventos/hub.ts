import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { OpcionesWebsocket } from '../config';
import type { EventoUi } from './evento-ui';
import { origenPermitido, type Logger } from '@aeroalpes/comun';

/**
 * Websocket protocol (JSON text frames), version 1.
 *
 * server -> browser
 *   {tipo:'hola', version:1, eventos:EventoUi[], ping_ms}  first message of every connection, and
 *                                                          the answer to 'resync': recent events,
 *                                                          oldest first
 *   {tipo:'evento', evento:EventoUi}                       each integration event, once per message id
 *   {tipo:'siguiendo', id_reservas:string[]}               answer to seguir/dejar/todos
 *   {tipo:'error', mensaje}                                a message the server did not understand
 * browser -> server
 *   {tipo:'seguir', id_reserva} / {tipo:'dejar', id_reserva}   only events of followed reservas
 *   {tipo:'todos'}                                             every event again (the default)
 *   {tipo:'resync'}                                            send 'hola' again
 */
export type MensajeServidor =
  | { tipo: 'hola'; version: 1; eventos: EventoUi[]; ping_ms: number }
  | { tipo: 'evento'; evento: EventoUi }
  | { tipo: 'siguiendo'; id_reservas: string[] }
  | { tipo: 'error'; mensaje: string };

export const RUTA_WS = '/ws';
export const MAXIMO_SEGUIDAS = 200;
const MAXIMO_PENDIENTES = 1000;
const MAXIMO_MENSAJE_CLIENTE = 4096;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface OpcionesHub extends OpcionesWebsocket {
  origenesPermitidos: readonly string[];
  /** Host headers accepted (ConfigUi.hostsPermitidos); `*` any. */
  hostsPermitidos?: readonly string[] | '*';
  /** The recent events a connecting page starts from. */
  snapshot: () => Promise<EventoUi[]>;
  log: Logger;
}

interface Cliente {
  id: number;
  ws: WebSocket;
  vivo: boolean;
  /** Until 'hola' is sent, events wait here so that 'hola' is always the first message. */
  pendientes: string[] | undefined;
  siguiendo: Set<string>;
  direccion: string;
  /** Token bucket of the messages it may send: refilled at mensajesPorSegundo, up to twice that. */
  fichas: number;
  ultimaRecarga: number;
  excesos: number;
}

/** Messages over the rate after which a client is disconnected (1008 policy violation). */
const EXCESOS_MAXIMOS = 20;

/**
 * Fan-out of reserva events to every connected browser. Sending never waits for a browser:
 * `ws.send` only queues, and a client whose queue grows past `maxBufferBytes` is terminated, so
 * a slow or stuck browser cannot hold up the others (or the subscription that feeds them).
 */
export class HubEventos {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAXIMO_MENSAJE_CLIENTE, perMessageDeflate: false, clientTracking: false });
  private readonly clientes = new Set<Cliente>();
  private readonly porDireccion = new Map<string, number>();
  private readonly latido: NodeJS.Timeout;
  private siguienteId = 1;
  private cerrado = false;

  constructor(private readonly opciones: OpcionesHub) {
    this.latido = setInterval(() => this.comprobarVivos(), opciones.pingMs);
    this.latido.unref();
  }

  get conectados(): number {
    return this.clientes.size;
  }

  /** Handles upgrades to /ws on the BFF's HTTP server (the same port as the page and the API). */
  adjuntar(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.actualizar(req, socket, head));
  }

  private actualizar(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const ruta = (req.url ?? '').split('?')[0];
    if (ruta !== RUTA_WS) return rechazar(socket, 404, 'Not Found');
    const origin = req.headers.origin;
    if (!origenPermitido(origin, req.headers.host, this.opciones.origenesPermitidos, this.opciones.hostsPermitidos ?? '*')) {
      this.opciones.log.warn('websocket rechazado: origen u host no permitido', { origin, host: req.headers.host });
      return rechazar(socket, 403, 'Forbidden');
    }
    if (this.cerrado || this.clientes.size >= this.opciones.maxClientes) return rechazar(socket, 503, 'Service Unavailable');
    const direccion = req.socket.remoteAddress ?? 'desconocida';
    if ((this.porDireccion.get(direccion) ?? 0) >= this.opciones.maxPorCliente) {
      this.opciones.log.warn('websocket rechazado: demasiadas conexiones de un cliente', { client: direccion });
      return rechazar(socket, 429, 'Too Many Requests');
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.conectar(ws, direccion));
  }

  private conectar(ws: WebSocket, direccion: string): void {
    const cliente: Cliente = {
      id: this.siguienteId++,
      ws,
      vivo: true,
      pendientes: [],
      siguiendo: new Set(),
      direccion,
      fichas: 2 * this.opciones.mensajesPorSegundo,
      ultimaRecarga: Date.now(),
      excesos: 0,
    };
    this.clientes.add(cliente);
    this.porDireccion.set(direccion, (this.porDireccion.get(direccion) ?? 0) + 1);
    let contado = true;
    const quitar = () => {
      this.clientes.delete(cliente);
      if (!contado) return;
      contado = false;
      const n = (this.porDireccion.get(direccion) ?? 1) - 1;
      if (n > 0) this.porDireccion.set(direccion, n);
      else this.porDireccion.delete(direccion);
    };
    ws.on('pong', () => {
      cliente.vivo = true;
    });
    ws.on('message', (datos, binario) => this.recibir(cliente, datos, binario));
    ws.on('close', quitar);
    ws.on('error', (err) => {
      this.opciones.log.debug('error de websocket', { client: cliente.id, err });
      quitar();
    });
    void this.saludar(cliente);
  }

  /** Sends 'hola' with the snapshot, then whatever arrived meanwhile. */
  private async saludar(cliente: Cliente): Promise<void> {
    let eventos: EventoUi[] = [];
    try {
      eventos = await this.opciones.snapshot();
    } catch (err) {
      // The page still works live; it resynchronises on its next connection.
      this.opciones.log.warn('no se pudo leer el snapshot de eventos recientes', { err });
    }
    const pendientes = cliente.pendientes ?? [];
    cliente.pendientes = undefined;
    this.enviar(cliente, JSON.stringify({ tipo: 'hola', version: 1, eventos, ping_ms: this.opciones.pingMs } satisfies MensajeServidor));
    for (const texto of pendientes) this.enviar(cliente, texto);
  }

  /** Pushes one event to every interested client, synchronously; returns how many got it queued. */
  publicar(evento: EventoUi): number {
    const texto = JSON.stringify({ tipo: 'evento', evento } satisfies MensajeServidor);
    let entregados = 0;
    for (const cliente of this.clientes) {
      if (cliente.siguiendo.size > 0 && !cliente.siguiendo.has(evento.id_reserva)) continue;
      if (cliente.pendientes) {
        if (cliente.pendientes.length >= MAXIMO_PENDIENTES) this.soltar(cliente, 'demasiados eventos antes del saludo');
        else cliente.pendientes.push(texto);
        continue;
      }
      if (this.enviar(cliente, texto)) entregados++;
    }
    return entregados;
  }

  /** Queues the text unless the client is gone or too far behind (then it is terminated). */
  private enviar(cliente: Cliente, texto: string): boolean {
    const { ws } = cliente;
    if (ws.readyState !== WebSocket.OPEN) return false;
    if (ws.bufferedAmount > this.opciones.maxBufferBytes) {
      this.soltar(cliente, 'cliente lento');
      return false;
    }
    ws.send(texto);
    return true;
  }

  private soltar(cliente: Cliente, motivo: string): void {
    this.opciones.log.warn('websocket terminado', { client: cliente.id, reason: motivo, buffered_bytes: cliente.ws.bufferedAmount });
    this.clientes.delete(cliente);
    cliente.ws.terminate();
  }

  /** Whether the client may send one more message now (token bucket); too many excesses close it. */
  private admitir(cliente: Cliente): boolean {
    const ahora = Date.now();
    const tasa = this.opciones.mensajesPorSegundo;
    cliente.fichas = Math.min(2 * tasa, cliente.fichas + ((ahora - cliente.ultimaRecarga) / 1000) * tasa);
    cliente.ultimaRecarga = ahora;
    if (cliente.fichas >= 1) {
      cliente.fichas--;
      return true;
    }
    if (++cliente.excesos >= EXCESOS_MAXIMOS) {
      this.opciones.log.warn('websocket cerrado: demasiados mensajes', { client: cliente.id, origin: cliente.direccion });
      this.clientes.delete(cliente);
      cliente.ws.close(1008, 'demasiados mensajes');
    }
    return false;
  }

  private recibir(cliente: Cliente, datos: RawData, binario: boolean): void {
    const error = (mensaje: string) => this.enviar(cliente, JSON.stringify({ tipo: 'error', mensaje } satisfies MensajeServidor));
    if (!this.admitir(cliente)) return void error(`demasiados mensajes: como máximo ${this.opciones.mensajesPorSegundo} por segundo`);
    if (binario) return void error('se esperan mensajes de texto JSON');
    let mensaje: { tipo?: unknown; id_reserva?: unknown };
    try {
      mensaje = JSON.parse(datos.toString()) as typeof mensaje;
    } catch {
      return void error('el mensaje no es JSON');
    }
    if (mensaje === null || typeof mensaje !== 'object') return void error('el mensaje debe ser un objeto JSON');
    const siguiendo = () => this.enviar(cliente, JSON.stringify({ tipo: 'siguiendo', id_reservas: [...cliente.siguiendo] } satisfies MensajeServidor));
    switch (mensaje.tipo) {
      case 'seguir':
      case 'dejar': {
        const id = mensaje.id_reserva;
        if (typeof id !== 'string' || !UUID.test(id)) return void error(`${mensaje.tipo}: id_reserva debe ser un UUID`);
        if (mensaje.tipo === 'dejar') cliente.siguiendo.delete(id.toLowerCase());
        else if (cliente.siguiendo.size >= MAXIMO_SEGUIDAS) return void error(`seguir: máximo ${MAXIMO_SEGUIDAS} reservas`);
        else cliente.siguiendo.add(id.toLowerCase());
        return void siguiendo();
      }
      case 'todos':
        cliente.siguiendo.clear();
        return void siguiendo();
      case 'resync':
        if (cliente.pendientes) return; // 'hola' is already on its way
        cliente.pendientes = [];
        return void this.saludar(cliente);
      default:
        return void error(`tipo de mensaje desconocido: ${String(mensaje.tipo).slice(0, 40)}; se esperan seguir, dejar, todos, resync`);
    }
  }

  /** Ping every client; one that did not answer the previous ping is terminated. */
  private comprobarVivos(): void {
    for (const cliente of this.clientes) {
      if (!cliente.vivo) {
        this.soltar(cliente, 'sin respuesta al ping');
        continue;
      }
      cliente.vivo = false;
      try {
        cliente.ws.ping();
      } catch {
        this.soltar(cliente, 'ping fallido');
      }
    }
  }

  /** Closes every connection (1001 going away) and stops the heartbeat. */
  async cerrar(): Promise<void> {
    this.cerrado = true;
    clearInterval(this.latido);
    for (const cliente of this.clientes) cliente.ws.close(1001, 'servidor detenido');
    const limite = Date.now() + 2000;
    while (this.clientes.size > 0 && Date.now() < limite) await new Promise((r) => setTimeout(r, 20));
    for (const cliente of this.clientes) cliente.ws.terminate();
    this.clientes.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

function rechazar(socket: Duplex, status: number, texto: string): void {
  socket.end(`HTTP/1.1 ${status} ${texto}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
