// The live connection: websocket to the page's own host (ws:// or wss:// after the page's scheme),
// reconnecting with exponential backoff and jitter.

const ESPERA_INICIAL_MS = 500;
const ESPERA_MAXIMA_MS = 30000;

/** `ws` next to the page: http://h/x/ -> ws://h/x/ws, https -> wss. */
export function urlWebsocket(ubicacion = window.location) {
  const url = new URL('ws', ubicacion.href);
  url.protocol = ubicacion.protocol === 'https:' ? 'wss:' : 'ws:';
  url.hash = '';
  url.search = '';
  return url.toString();
}

/** Delay before reconnection attempt `n` (0-based): 0.5 s, 1 s, 2 s ... up to 30 s, with jitter. */
export function espera(n, aleatorio = Math.random) {
  const base = Math.min(ESPERA_MAXIMA_MS, ESPERA_INICIAL_MS * 2 ** n);
  return Math.round(base * (0.5 + aleatorio() / 2));
}

/**
 * Opens the connection and keeps it open. `alMensaje(objeto)` for each server message,
 * `alEstado('conectando'|'conectado'|'reconectando', detalle)` on every change.
 */
export function conectar({ alMensaje, alEstado }) {
  let intentos = 0;
  let ws;
  let temporizador;

  const abrir = () => {
    clearTimeout(temporizador);
    alEstado(intentos === 0 ? 'conectando' : 'reconectando');
    let socket;
    try {
      socket = new WebSocket(urlWebsocket());
    } catch {
      programar();
      return;
    }
    ws = socket;
    socket.addEventListener('open', () => {
      intentos = 0;
      alEstado('conectado');
    });
    socket.addEventListener('message', (e) => {
      let mensaje;
      try {
        mensaje = JSON.parse(e.data);
      } catch {
        return;
      }
      alMensaje(mensaje);
    });
    socket.addEventListener('close', () => {
      if (socket === ws) programar();
    });
  };

  const programar = () => {
    const ms = espera(intentos++);
    alEstado('reconectando', ms);
    clearTimeout(temporizador);
    temporizador = setTimeout(abrir, ms);
  };

  // Back online, or the tab is visible again while disconnected: try now instead of waiting.
  const yaMismo = () => {
    if (!ws || ws.readyState === WebSocket.CLOSED) {
      intentos = 0;
      abrir();
    }
  };
  window.addEventListener('online', yaMismo);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') yaMismo();
  });

  abrir();
  return {
    enviar: (mensaje) => ws && ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(mensaje)),
  };
}
