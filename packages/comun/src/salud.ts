import express from 'express';

/** One dependency's check: resolves when it answers, rejects (or outlasts the timeout) when it does not. */
export type Comprobacion = () => Promise<unknown>;

export type EstadoDependencia = 'up' | 'down';

/** What GET /health/ready answers: 200 with status `up`, else 503 with what is down (or `draining`). */
export interface EstadoListo {
  status: 'up' | 'down' | 'draining';
  checks: Record<string, EstadoDependencia>;
}

export interface OpcionesSalud {
  /** Longest wait for one check before it counts as down (default 1000 ms, under the probes' timeout). */
  timeoutMs?: number;
  /** Extra fields of the liveness answer (the ui: its connected browsers). */
  detalle?: () => Record<string, unknown>;
}

/**
 * Liveness and readiness of a service, the same on all three:
 * - `GET /health/live` (and its alias `GET /health`): the process is up and serving; nothing else.
 * - `GET /health/ready`: every dependency answers (each check bounded by `timeoutMs`) and the
 *   service is not draining; 503 with each dependency's state otherwise.
 * A dependency's outage never fails liveness: restarting the process would not bring it back.
 */
export class Salud {
  private drenandose = false;
  private readonly timeoutMs: number;

  constructor(
    private readonly comprobaciones: Record<string, Comprobacion>,
    private readonly opciones: OpcionesSalud = {},
  ) {
    this.timeoutMs = opciones.timeoutMs ?? 1000;
  }

  /** From now on readiness answers 503 `draining`: the platform sends no new work. */
  drenar(): void {
    this.drenandose = true;
  }

  get drenando(): boolean {
    return this.drenandose;
  }

  async listo(): Promise<EstadoListo> {
    const nombres = Object.keys(this.comprobaciones);
    const estados = await Promise.all(nombres.map((n) => this.comprobar(this.comprobaciones[n]!)));
    const checks = Object.fromEntries(nombres.map((n, i) => [n, estados[i]!]));
    if (this.drenandose) return { status: 'draining', checks };
    return { status: estados.every((e) => e === 'up') ? 'up' : 'down', checks };
  }

  /** GET /health, /health/live and /health/ready, to mount before the service's own routes. */
  rutas(): express.Router {
    const router = express.Router();
    const vivo = (_req: express.Request, res: express.Response) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json({ status: 'up', ...this.opciones.detalle?.() });
    };
    router.get('/health', vivo);
    router.get('/health/live', vivo);
    router.get('/health/ready', async (_req, res) => {
      const estado = await this.listo();
      res.setHeader('Cache-Control', 'no-store');
      res.status(estado.status === 'up' ? 200 : 503).json(estado);
    });
    return router;
  }

  private async comprobar(comprobacion: Comprobacion): Promise<EstadoDependencia> {
    let temporizador: NodeJS.Timeout | undefined;
    const limite = new Promise<never>((_r, rechazar) => {
      temporizador = setTimeout(() => rechazar(new Error('timeout')), this.timeoutMs);
    });
    try {
      await Promise.race([Promise.resolve().then(comprobacion), limite]);
      return 'up';
    } catch {
      return 'down';
    } finally {
      clearTimeout(temporizador);
    }
  }
}

/**
 * The Dapr sidecar answers: `GET /v1.0/healthz/outbound` (204, no API token needed). Not
 * `/v1.0/healthz`: that one waits for the app channel, i.e. for this app, and the two would wait
 * on each other at start; the outbound one is ready once the components are loaded.
 */
export function comprobarSidecar(urlSidecar: string, timeoutMs = 1000): Comprobacion {
  return async () => {
    const res = await fetch(`${urlSidecar}/v1.0/healthz/outbound`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`sidecar: HTTP ${res.status}`);
  };
}
