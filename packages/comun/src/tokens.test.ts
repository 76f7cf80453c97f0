import type { AddressInfo } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import express from 'express';
import { loggerEnMemoria } from './log';
import { cabecerasDapr, conTokenApp, exigirTokenApp, tokenCoincide } from './tokens';

describe('tokenCoincide', () => {
  test('only the same token matches; other lengths, empty and non-strings do not', () => {
    expect(tokenCoincide('secreto', 'secreto')).toBe(true);
    for (const otro of ['secret', 'secreto!', 'SECRETO', '', undefined, ['secreto'], 7]) expect(tokenCoincide('secreto', otro)).toBe(false);
  });
});

describe('cabecerasDapr', () => {
  test('the header with a token, nothing without', () => {
    expect(cabecerasDapr('t')).toEqual({ 'dapr-api-token': 't' });
    expect(cabecerasDapr(undefined)).toEqual({});
  });
});

describe('exigirTokenApp (HTTP)', () => {
  const servir = async (token: string | undefined) => {
    const log = loggerEnMemoria();
    const hechos: string[] = [];
    const app = express();
    app.post('/eventos', exigirTokenApp(log, token), express.json(), (req, res) => {
      hechos.push(JSON.stringify(req.body));
      res.json({ status: 'SUCCESS' });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const post = (headers: Record<string, string> = {}) =>
      fetch(`${base}/eventos`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"id":"x"}' });
    return { log, hechos, post, cerrar: () => new Promise((r) => server.close(r)) };
  };

  test('with a token configured: 401 and nothing done without it or with another; the handler runs with it', async () => {
    const s = await servir('el-token');
    try {
      const sin = await s.post();
      expect(sin.status).toBe(401);
      expect(await sin.json()).toEqual({ error: 'no_autenticado', mensaje: expect.stringContaining('dapr-api-token') });
      expect((await s.post({ 'dapr-api-token': 'otro-token' })).status).toBe(401);
      expect(s.hechos).toEqual([]);
      expect(s.log.lineas.filter((l) => l.nivel === 'warn')).toHaveLength(2);
      expect((await s.post({ 'dapr-api-token': 'el-token' })).status).toBe(200);
      expect(s.hechos).toEqual(['{"id":"x"}']);
    } finally {
      await s.cerrar();
    }
  });

  test('without a token configured nothing is checked', async () => {
    const s = await servir(undefined);
    try {
      expect((await s.post()).status).toBe(200);
    } finally {
      await s.cerrar();
    }
  });
});

describe('conTokenApp (gRPC)', () => {
  const llamar = (impl: grpc.UntypedServiceImplementation, metadata: grpc.Metadata) =>
    new Promise<{ error: grpc.ServiceError | null; valor: unknown }>((resolve) => {
      const call = { metadata, getPeer: () => 'ipv4:127.0.0.1:1234', request: {} } as unknown as grpc.ServerUnaryCall<unknown, unknown>;
      (impl.metodo as grpc.handleUnaryCall<unknown, unknown>)(call, (error, valor) => resolve({ error: error as grpc.ServiceError | null, valor }));
    });
  const conToken = (t: string) => {
    const m = new grpc.Metadata();
    m.set('dapr-api-token', t);
    return m;
  };

  test('every method refuses UNAUTHENTICATED without the token, without calling the handler', async () => {
    let llamadas = 0;
    const impl = conTokenApp(
      { metodo: (_c: unknown, cb: grpc.sendUnaryData<unknown>) => (llamadas++, cb(null, 'hecho')) } as grpc.UntypedServiceImplementation,
      loggerEnMemoria(),
      't',
    );
    const sin = await llamar(impl, new grpc.Metadata());
    expect(sin.error?.code).toBe(grpc.status.UNAUTHENTICATED);
    expect((await llamar(impl, conToken('otro'))).error?.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(llamadas).toBe(0);
    expect(await llamar(impl, conToken('t'))).toEqual({ error: null, valor: 'hecho' });
    expect(llamadas).toBe(1);
  });

  test('what daprd calls without the token (listing subscriptions, health) stays open; nothing else', async () => {
    const impl = conTokenApp(
      {
        listTopicSubscriptions: (_c: unknown, cb: grpc.sendUnaryData<unknown>) => cb(null, 'lista'),
        onTopicEvent: (_c: unknown, cb: grpc.sendUnaryData<unknown>) => cb(null, 'hecho'),
      } as grpc.UntypedServiceImplementation,
      loggerEnMemoria(),
      't',
    );
    const sin = new grpc.Metadata();
    const call = { metadata: sin, getPeer: () => 'p', request: {} } as unknown as grpc.ServerUnaryCall<unknown, unknown>;
    const res = (m: string) => new Promise<unknown>((r) => (impl[m] as grpc.handleUnaryCall<unknown, unknown>)(call, (e, v) => r(e ? (e as grpc.ServiceError).code : v)));
    expect(await res('listTopicSubscriptions')).toBe('lista');
    expect(await res('onTopicEvent')).toBe(grpc.status.UNAUTHENTICATED);
  });

  test('without a token configured the implementation is served as it is', () => {
    const impl = { metodo: () => undefined };
    expect(conTokenApp(impl, loggerEnMemoria(), undefined)).toBe(impl);
  });
});
