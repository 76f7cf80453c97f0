import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { AeroAlpesPorDapr, normalizarRespuesta } from './aeroalpes';

describe('normalizarRespuesta: lo que vuelve por el sidecar -> estado y cuerpo de AeroAlpes', () => {
  it('deja pasar las respuestas 2xx y los errores de AeroAlpes tal cual', () => {
    expect(normalizarRespuesta(202, { id: 'x' })).toEqual({ status: 202, cuerpo: { id: 'x' } });
    const error = { error: 'validacion', mensaje: 'la solicitud no es válida', errores: [{ campo: 'itinerarios', regla: 'minItems', mensaje: 'm' }] };
    expect(normalizarRespuesta(400, error)).toEqual({ status: 400, cuerpo: error });
    expect(normalizarRespuesta(409, { error: 'transicion_invalida', mensaje: 'no' })).toEqual({ status: 409, cuerpo: { error: 'transicion_invalida', mensaje: 'no' } });
  });

  it('traduce un error gRPC de OnInvoke (google.rpc.Status en JSON) a su estado HTTP y cuerpo', () => {
    const cuerpoRest = { error: 'transicion_invalida', mensaje: 'no se puede pagar una reserva Pendiente', estado_actual: 'Pendiente' };
    // Dapr answers 400 for FAILED_PRECONDITION; the REST API's status for a disallowed transition is 409.
    expect(normalizarRespuesta(400, { code: 9, message: JSON.stringify(cuerpoRest), details: [] })).toEqual({ status: 409, cuerpo: cuerpoRest });
    expect(normalizarRespuesta(404, { code: 5, message: 'reserva no encontrada' })).toEqual({ status: 404, cuerpo: { error: 'no_encontrado', mensaje: 'reserva no encontrada' } });
    expect(
      normalizarRespuesta(400, {
        code: 3,
        message: 'solicitud inválida',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.BadRequest',
            fieldViolations: [{ field: 'itinerarios[0].odos[0].segmentos[0].legs[0].destino.codigo', description: 'origen y destino deben ser distintos', reason: 'RutaValida' }],
          },
        ],
      }),
    ).toEqual({
      status: 400,
      cuerpo: {
        error: 'validacion',
        mensaje: 'solicitud inválida',
        errores: [{ campo: 'itinerarios[0].odos[0].segmentos[0].legs[0].destino.codigo', regla: 'RutaValida', mensaje: 'origen y destino deben ser distintos' }],
      },
    });
    expect(normalizarRespuesta(503, { code: 14, message: 'MongoDB caído' }).status).toBe(503);
  });

  it('un fallo del propio Dapr (app no encontrada o inalcanzable) es 502 con un mensaje claro', () => {
    const r = normalizarRespuesta(500, { errorCode: 'ERR_DIRECT_INVOKE', message: 'failed to invoke, id: aeroalpes, err: connection refused' });
    expect(r.status).toBe(502);
    expect(r.cuerpo).toMatchObject({ error: 'aeroalpes_no_disponible', mensaje: expect.stringContaining('ERR_DIRECT_INVOKE') });
  });

  it('un error sin forma conocida conserva el estado y lo describe', () => {
    expect(normalizarRespuesta(500, 'Internal Server Error')).toEqual({
      status: 500,
      cuerpo: { error: 'error_aeroalpes', mensaje: 'AeroAlpes respondió 500', detalle: 'Internal Server Error' },
    });
  });
});

describe('AeroAlpesPorDapr contra un sidecar simulado (HTTP)', () => {
  let server: Server;
  let puerto: number;
  const recibidas: { metodo: string; url: string; cabeceras: Record<string, unknown>; cuerpo: unknown }[] = [];
  let responder: (req: express.Request, res: express.Response) => void;

  beforeAll(async () => {
    const app = express();
    app.use(express.json());
    app.all('/{*resto}', (req, res) => {
      recibidas.push({ metodo: req.method, url: req.originalUrl, cabeceras: req.headers, cuerpo: req.body });
      responder(req, res);
    });
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    puerto = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => {
    recibidas.length = 0;
  });

  const cliente = (timeoutMs = 2000, p = () => puerto) => new AeroAlpesPorDapr({ daprHost: '127.0.0.1', daprHttpPort: p(), appId: 'aeroalpes', timeoutMs });
  const ctx = { idCorrelacion: 'corr-7', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };

  it('invoca /v1.0/invoke/aeroalpes/method/... con el cuerpo, la correlación y el traceparent', async () => {
    responder = (_req, res) => void res.status(202).json({ id: 'nuevo' });
    expect(await cliente().crearReserva({ itinerarios: [] }, ctx)).toEqual({ status: 202, cuerpo: { id: 'nuevo' } });
    responder = (_req, res) => void res.json({ id: 'r', estado: 'Pagada' });
    await cliente().ejecutarAccion('6c1e3c9e-4f0b-4b8e-9b1a-2f7d1a0c5e11', 'pagar', ctx);
    responder = (_req, res) => void res.json({ reservas: [] });
    await cliente().listarReservas({ pagina: '2', tamano: '5', estado: '' }, { idCorrelacion: 'c' });
    expect(recibidas.map((r) => [r.metodo, r.url])).toEqual([
      ['POST', '/v1.0/invoke/aeroalpes/method/vuelos/reserva-comando'],
      ['POST', '/v1.0/invoke/aeroalpes/method/vuelos/reserva/6c1e3c9e-4f0b-4b8e-9b1a-2f7d1a0c5e11/pagar'],
      ['GET', '/v1.0/invoke/aeroalpes/method/vuelos/reservas?pagina=2&tamano=5'],
    ]);
    expect(recibidas[0].cuerpo).toEqual({ itinerarios: [] });
    expect(recibidas[0].cabeceras).toMatchObject({ 'x-correlation-id': 'corr-7', traceparent: ctx.traceparent, 'content-type': 'application/json' });
    expect(recibidas[2].cabeceras['content-type']).toBeUndefined();
  });

  it('devuelve el estado y el cuerpo de error de AeroAlpes', async () => {
    responder = (_req, res) => void res.status(400).json({ error: 'validacion', mensaje: 'm', errores: [] });
    expect(await cliente().crearReserva({}, ctx)).toEqual({ status: 400, cuerpo: { error: 'validacion', mensaje: 'm', errores: [] } });
  });

  it('un sidecar que no responde a tiempo es 504; uno inalcanzable, 503', async () => {
    responder = (_req, res) => void setTimeout(() => res.json({}), 1000);
    const lento = await cliente(100).crearReserva({}, ctx);
    expect(lento.status).toBe(504);
    expect(lento.cuerpo).toMatchObject({ error: 'aeroalpes_no_disponible' });
    const cerrado = await cliente(1000, () => 1).crearReserva({}, ctx);
    expect(cerrado.status).toBe(503);
    expect(cerrado.cuerpo).toMatchObject({ error: 'aeroalpes_no_disponible', mensaje: expect.stringContaining('inalcanzable') });
  });

  it('una respuesta 2xx que no es JSON es 502', async () => {
    responder = (_req, res) => void res.type('text/html').send('<html>');
    expect((await cliente().listarReservas({}, ctx)).status).toBe(502);
  });
});
