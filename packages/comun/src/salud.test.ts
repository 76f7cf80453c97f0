import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { comprobarSidecar, Salud } from './salud';

type Json = Record<string, unknown>;

/** Serves `handler` on a loopback port for the test; returns its base URL. */
async function servir(handler: http.RequestListener): Promise<{ base: string; cerrar: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cerrar: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let cerrar: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cerrar?.();
  cerrar = undefined;
});

async function conSalud(salud: Salud): Promise<(ruta: string) => Promise<{ status: number; cuerpo: Json; cache: string | null }>> {
  const app = express().use(salud.rutas());
  const s = await servir(app);
  cerrar = s.cerrar;
  return async (ruta) => {
    const res = await fetch(`${s.base}${ruta}`);
    return { status: res.status, cuerpo: (await res.json()) as Json, cache: res.headers.get('cache-control') };
  };
}

describe('Salud', () => {
  it('con todas las dependencias arriba /health/ready responde 200 con cada una', async () => {
    const pedir = await conSalud(new Salud({ mongodb: async () => ({ ok: 1 }), sidecar: async () => undefined }));
    expect(await pedir('/health/ready')).toEqual({ status: 200, cuerpo: { status: 'up', checks: { mongodb: 'up', sidecar: 'up' } }, cache: 'no-store' });
  });

  it('una dependencia caída: 503 y dice cuál; la vida (/health/live, /health) sigue en 200', async () => {
    const pedir = await conSalud(
      new Salud(
        {
          mongodb: async () => {
            throw new Error('ECONNREFUSED');
          },
          sidecar: async () => undefined,
        },
        { detalle: () => ({ navegadores: 2 }) },
      ),
    );
    expect(await pedir('/health/ready')).toMatchObject({ status: 503, cuerpo: { status: 'down', checks: { mongodb: 'down', sidecar: 'up' } } });
    expect(await pedir('/health/live')).toEqual({ status: 200, cuerpo: { status: 'up', navegadores: 2 }, cache: 'no-store' });
    expect(await pedir('/health')).toEqual({ status: 200, cuerpo: { status: 'up', navegadores: 2 }, cache: 'no-store' });
  });

  it('una dependencia que no contesta cuenta como caída al vencer su plazo', async () => {
    const pedir = await conSalud(new Salud({ sidecar: () => new Promise(() => undefined) }, { timeoutMs: 100 }));
    const inicio = Date.now();
    expect(await pedir('/health/ready')).toMatchObject({ status: 503, cuerpo: { status: 'down', checks: { sidecar: 'down' } } });
    expect(Date.now() - inicio).toBeLessThan(1000);
  });

  it('al drenar /health/ready responde 503 draining aunque todo esté arriba', async () => {
    const salud = new Salud({ sidecar: async () => undefined });
    const pedir = await conSalud(salud);
    expect((await pedir('/health/ready')).status).toBe(200);
    salud.drenar();
    expect(salud.drenando).toBe(true);
    expect(await pedir('/health/ready')).toMatchObject({ status: 503, cuerpo: { status: 'draining', checks: { sidecar: 'up' } } });
    expect((await pedir('/health/live')).status).toBe(200);
  });
});

describe('comprobarSidecar', () => {
  it('pregunta GET /v1.0/healthz/outbound sin token: 204 es arriba, otro estado es caída', async () => {
    const vistas: { metodo?: string; ruta?: string; token?: string | string[] }[] = [];
    let estado = 204;
    const s = await servir((req, res) => {
      vistas.push({ metodo: req.method, ruta: req.url, token: req.headers['dapr-api-token'] });
      res.writeHead(estado).end();
    });
    cerrar = s.cerrar;
    await expect(comprobarSidecar(s.base)()).resolves.toBeUndefined();
    estado = 500;
    await expect(comprobarSidecar(s.base)()).rejects.toThrow('sidecar: HTTP 500');
    expect(vistas).toEqual([
      { metodo: 'GET', ruta: '/v1.0/healthz/outbound', token: undefined },
      { metodo: 'GET', ruta: '/v1.0/healthz/outbound', token: undefined },
    ]);
  });

  it('un sidecar que no escucha es caída', async () => {
    const s = await servir((_req, res) => res.end());
    await s.cerrar();
    await expect(comprobarSidecar(s.base)()).rejects.toThrow();
  });
});
