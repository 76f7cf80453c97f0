/**
 * Outages on the real platform: with MongoDB (FerretDB) stopped, the REST API answers 503 with
 * Retry-After within 2 s (never a 500, never a long wait), readiness says MongoDB is down while
 * liveness stays up, and everything recovers once it is back. Also: every service's health endpoints.
 */
import { controlar, eventually, url } from '../support/stack';
import type { ServiceName } from '@aeroalpes/platform';

import RESERVA from '../../examples/reserva.json';

const ID_CLIENTE = '7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

async function pedir(metodo: string, ruta: string, cuerpo?: unknown, servicio: ServiceName = 'aeroalpes') {
  const inicio = performance.now();
  const res = await fetch(`${url(servicio)}${ruta}`, {
    method: metodo,
    ...(cuerpo === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(cuerpo) }),
    signal: AbortSignal.timeout(15_000),
  });
  const texto = await res.text();
  return {
    status: res.status,
    reintentar: res.headers.get('retry-after'),
    cuerpo: texto ? JSON.parse(texto) : undefined,
    ms: performance.now() - inicio,
  };
}

describe('health endpoints of every service', () => {
  test.each(['aeroalpes', 'notificaciones', 'ui'] as const)('%s: /health/live, its alias /health and /health/ready answer 200', async (servicio) => {
    expect(await pedir('GET', '/health/live', undefined, servicio)).toMatchObject({ status: 200, cuerpo: { status: 'up' } });
    expect(await pedir('GET', '/health', undefined, servicio)).toMatchObject({ status: 200, cuerpo: { status: 'up' } });
    const listo = await pedir('GET', '/health/ready', undefined, servicio);
    expect(listo).toMatchObject({ status: 200, cuerpo: { status: 'up' } });
    expect(listo.cuerpo.checks).toEqual(servicio === 'aeroalpes' ? { mongodb: 'up', sidecar: 'up' } : { sidecar: 'up' });
  });
});

describe('MongoDB down', () => {
  test('the REST API answers 503 with Retry-After within 2 s, readiness is 503 and liveness 200; all recovers when it is back', async () => {
    const creada = await pedir('POST', '/vuelos/reserva', { ...RESERVA, id_cliente: ID_CLIENTE });
    expect(creada.status).toBe(200);
    const id = creada.cuerpo.id as string;

    await controlar('stop', 'ferretdb');
    try {
      // Each request, the first one after the outage included (its pooled connection is gone).
      for (const [metodo, ruta, cuerpo] of [
        ['POST', '/vuelos/reserva', { ...RESERVA, id_cliente: ID_CLIENTE }],
        ['GET', `/vuelos/reserva/${id}`, undefined],
        ['POST', '/vuelos/reserva', { ...RESERVA, id_cliente: ID_CLIENTE }],
        ['GET', `/vuelos/reserva/${id}`, undefined],
      ] as const) {
        const r = await pedir(metodo, ruta, cuerpo);
        expect({ metodo, status: r.status, reintentar: r.reintentar, error: r.cuerpo?.error }).toEqual({
          metodo,
          status: 503,
          reintentar: expect.stringMatching(/^\d+$/),
          error: 'no_disponible',
        });
        // The requirement: a bounded answer, not the driver's 30 s wait.
        expect(r.ms).toBeLessThan(2000);
      }
      const listo = await pedir('GET', '/health/ready');
      expect(listo).toMatchObject({ status: 503, cuerpo: { status: 'down', checks: { mongodb: 'down', sidecar: 'up' } } });
      expect(listo.ms).toBeLessThan(2000);
      expect(await pedir('GET', '/health/live')).toMatchObject({ status: 200, cuerpo: { status: 'up' } });
    } finally {
      await controlar('start', 'ferretdb');
    }

    await eventually('aeroalpes ready again', async () => ((await pedir('GET', '/health/ready')).status === 200 ? true : undefined), 30_000, 250);
    const otra = await pedir('POST', '/vuelos/reserva', { ...RESERVA, id_cliente: ID_CLIENTE });
    expect(otra.status).toBe(200);
    expect((await pedir('GET', `/vuelos/reserva/${id}`)).cuerpo).toMatchObject({ id, estado: 'Pendiente' });
  });
});
