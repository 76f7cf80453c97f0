/**
 * Open-loop load: POST /vuelos/reserva-comando on a fixed schedule (request i at start + i/rate),
 * whether or not earlier requests have been answered, so a slow system cannot slow the load down
 * and hide its own latency. With several replicas of aeroalpes the requests go round-robin over
 * their REST ports (request i to replica i mod n). One reserva in N is followed on the read side
 * while the phase runs, through the replica that accepted it: polled on the write model
 * (GET /vuelos/reserva/ID) until it exists, then on the read model (GET /vuelos/reserva-query/ID)
 * until it is visible. The polling goes on while the phase drains.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface Envio {
  /** Wall clock (epoch ms) when the request was written: same clock as the notification's `enviada`. */
  enviado: number;
  /** How late the generator sent it versus its schedule (ms). */
  retraso: number;
  /** HTTP status, or 'timeout' / 'error:<code>'. */
  estado: string;
  /** POST -> response (ms). */
  msRespuesta: number | null;
  id?: string;
  /** Sampled only: when the write model (reservas) first returned it, and when the read model did (epoch ms). */
  escrito?: number;
  visible?: number;
  /** Sampled, but polling gave up (cap) or skipped (too many pollers busy). */
  muestra?: 'seguida' | 'sin-escrito' | 'sin-visible' | 'omitida';
}

export interface ResultadoCarga {
  envios: Envio[];
  inicio: number;
  /** When the last scheduled request was sent. */
  finEnvio: number;
  /** When every response was in. */
  finRespuestas: number;
  /** Settles when every sampled reserva has been found or given up on (each is polled at most `sondeoMaximoMs`). */
  sondeosTerminados: Promise<void>;
  /** Polls made so far, by model read (each one findOne by _id in the service). */
  sondeos: () => { escrito: number; visible: number };
}

export interface OpcionesCarga {
  /** The REST base URL of every aeroalpes replica: request i goes to `bases[i % bases.length]`. */
  bases: string[];
  /** Request body: the contract's minimal reserva (examples/reserva.json). */
  cuerpo: string;
  tasa: number;
  segundos: number;
  muestraCada: number;
  sondeoMs: number;
  sondeoMaximoMs: number;
  sondeosConcurrentes: number;
  timeoutMs: number;
  /** Ends the phase early (Ctrl-C). */
  abortar: AbortSignal;
}

export const agenteCarga = new http.Agent({ keepAlive: true, maxSockets: 1024, maxFreeSockets: 256 });
const agenteSondeo = new http.Agent({ keepAlive: true, maxSockets: 64 });

interface Respuesta {
  status: number;
  cuerpo: string;
}

export function peticion(url: string, opciones: { metodo?: string; cuerpo?: string; timeoutMs: number; agente?: http.Agent }): Promise<Respuesta> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: opciones.metodo ?? 'GET',
        agent: opciones.agente ?? agenteSondeo,
        headers: opciones.cuerpo !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(opciones.cuerpo) } : {},
        timeout: opciones.timeoutMs,
      },
      (res) => {
        const partes: Buffer[] = [];
        res.on('data', (c: Buffer) => partes.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, cuerpo: Buffer.concat(partes).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', reject);
    req.end(opciones.cuerpo);
  });
}

const dormir = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Round-robin: request `i` goes to `destinos[i mod n]` (every replica of aeroalpes gets its share). */
export function porTurno<T>(destinos: readonly T[], i: number): T {
  if (destinos.length === 0) throw new Error('no destination to send the load to');
  return destinos[i % destinos.length]!;
}

/**
 * The open-loop schedule: request i is due at t0 + i/rate (performance.now() clock). Every tick
 * sends every request whose time has come (a late tick sends a burst, and `enviar` gets the time it
 * was due, so each request can record how late it was). Resolves once `total` are sent or on abort.
 */
export function programar(t0: number, tasa: number, total: number, abortar: AbortSignal, enviar: (i: number, programado: number) => void): Promise<void> {
  let enviados = 0;
  const intervalo = 1000 / tasa;
  return new Promise<void>((resolve) => {
    const tick = () => {
      const ahora = performance.now();
      while (enviados < total && t0 + enviados * intervalo <= ahora) {
        enviar(enviados, t0 + enviados * intervalo);
        enviados++;
      }
      if (enviados >= total || abortar.aborted) return resolve();
      setTimeout(tick, Math.max(0, Math.min(5, t0 + enviados * intervalo - performance.now())));
    };
    tick();
  });
}

export async function cargar(o: OpcionesCarga): Promise<ResultadoCarga> {
  const total = Math.round(o.tasa * o.segundos);
  const envios: Envio[] = [];
  const pendientes: Promise<void>[] = [];
  const seguimientos: Promise<void>[] = [];
  let sondeosActivos = 0;
  const sondeos = { escrito: 0, visible: 0 };
  const inicio = Date.now();
  const t0 = performance.now();

  const seguir = async (e: Envio, id: string, base: string): Promise<void> => {
    if (sondeosActivos >= o.sondeosConcurrentes) {
      e.muestra = 'omitida';
      return;
    }
    sondeosActivos++;
    try {
      const limite = e.enviado + o.sondeoMaximoMs;
      for (const [ruta, campo] of [
        [`/vuelos/reserva/${id}`, 'escrito'],
        [`/vuelos/reserva-query/${id}`, 'visible'],
      ] as const) {
        for (let intento = 0; Date.now() < limite && !o.abortar.aborted; intento++) {
          const t = Date.now();
          sondeos[campo]++;
          const r = await peticion(`${base}${ruta}`, { timeoutMs: o.timeoutMs }).catch(() => undefined);
          if (r?.status === 200) {
            e[campo] = t;
            break;
          }
          await dormir(Math.max(0, o.sondeoMs - (Date.now() - t)));
        }
        if (e[campo] === undefined) {
          e.muestra = campo === 'escrito' ? 'sin-escrito' : 'sin-visible';
          return;
        }
      }
      e.muestra = 'seguida';
    } finally {
      sondeosActivos--;
    }
  };

  const enviar = (i: number, programado: number): void => {
    const e: Envio = { enviado: Date.now(), retraso: performance.now() - programado, estado: 'pendiente', msRespuesta: null };
    envios.push(e);
    const t = performance.now();
    const base = porTurno(o.bases, i);
    pendientes.push(
      peticion(`${base}/vuelos/reserva-comando`, { metodo: 'POST', cuerpo: o.cuerpo, timeoutMs: o.timeoutMs, agente: agenteCarga }).then(
        (r) => {
          e.msRespuesta = performance.now() - t;
          e.estado = String(r.status);
          if (r.status !== 202) return;
          try {
            const id = (JSON.parse(r.cuerpo) as { id?: unknown }).id;
            if (typeof id === 'string') e.id = id;
          } catch {
            /* a 202 without an id is reported as such */
          }
          if (!e.id) e.estado = '202-sin-id';
          else if (i % o.muestraCada === 0) seguimientos.push(seguir(e, e.id, base));
        },
        (err: NodeJS.ErrnoException) => {
          e.msRespuesta = performance.now() - t;
          e.estado = err.code === 'TIMEOUT' ? 'timeout' : `error:${err.code ?? err.message}`;
        },
      ),
    );
  };

  await programar(t0, o.tasa, total, o.abortar, enviar);
  const finEnvio = Date.now();
  await Promise.all(pendientes);
  return { envios, inicio, finEnvio, finRespuestas: Date.now(), sondeosTerminados: Promise.all(seguimientos).then(() => undefined), sondeos: () => ({ ...sondeos }) };
}
