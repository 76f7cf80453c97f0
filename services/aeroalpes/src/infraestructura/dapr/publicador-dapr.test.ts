import http from 'node:http';
import { AddressInfo } from 'node:net';
import type { MensajeIntegracion } from '../../seedwork/infraestructura/mensajes';
import { ContratoInvalido, PublicadorDapr } from './publicador-dapr';

/**
 * The adapter's own logic against a scripted HTTP endpoint: how it groups publishes into Dapr's
 * bulk publish and maps Dapr's answers back onto each message. The real sidecar is exercised by
 * the integration tests (tests/flujo).
 */
interface Llamada {
  url: string;
  cuerpo: { entryId: string; event: Record<string, unknown>; contentType: string; metadata: Record<string, string> }[];
}

let servidor: http.Server;
let url: string;
let llamadas: Llamada[];
let responder: (c: Llamada) => { status: number; cuerpo?: unknown };

beforeAll(async () => {
  servidor = http.createServer((req, res) => {
    let datos = '';
    req.on('data', (d) => (datos += d));
    req.on('end', () => {
      const llamada = { url: req.url ?? '', cuerpo: datos ? JSON.parse(datos) : undefined };
      llamadas.push(llamada);
      const r = responder(llamada);
      res.writeHead(r.status, { 'content-type': 'application/json' }).end(r.cuerpo === undefined ? '' : JSON.stringify(r.cuerpo));
    });
  });
  await new Promise<void>((r) => servidor.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(servidor.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => servidor.close(() => r())));
beforeEach(() => {
  llamadas = [];
  responder = () => ({ status: 204 });
});

const publicador = (enLote: boolean) =>
  new PublicadorDapr({
    urlSidecar: url,
    pubsub: 'pubsub',
    topics: { eventos: 'eventos-reserva', comandos: 'comandos-reserva' },
    servicio: 'aeroalpes',
    timeoutMs: 2000,
    ...(enLote ? { lotes: { maximo: 50, paralelos: 1 } } : {}),
  });

const evento = (n: number): MensajeIntegracion => ({
  id: `m-${n}`,
  topic: 'eventos-reserva',
  type: 'ReservaAprobada',
  time: 1_700_000_000_000,
  correlationId: `c-${n}`,
  aggregateId: `r-${n}`,
  aggregateVersion: 2,
  payload: { id_reserva: `r-${n}`, fecha_actualizacion: 1_700_000_000_000 },
});

describe('PublicadorDapr en lote (publish/bulk)', () => {
  it('publishes that arrive together go in one bulk call, each with its CloudEvent id and type', async () => {
    const p = publicador(true);
    await Promise.all([1, 2, 3].map((n) => p.publicar(evento(n))));
    expect(llamadas).toHaveLength(1);
    expect(llamadas[0]!.url).toBe('/v1.0-alpha1/publish/bulk/pubsub/eventos-reserva');
    expect(llamadas[0]!.cuerpo.map((e) => e.metadata)).toEqual([1, 2, 3].map((n) => ({ 'cloudevent.id': `m-${n}`, 'cloudevent.type': 'ReservaAprobada' })));
    expect(llamadas[0]!.cuerpo.map((e) => e.event.id_mensaje)).toEqual(['m-1', 'm-2', 'm-3']);
    expect(new Set(llamadas[0]!.cuerpo.map((e) => e.entryId)).size).toBe(3);
  });

  it('a partial failure fails exactly the entries Dapr lists; the others are published', async () => {
    responder = (c) => ({ status: 500, cuerpo: { failedEntries: [{ entryId: c.cuerpo[1]!.entryId, error: 'broker timeout' }], errorCode: 'ERR_PUBSUB_PUBLISH_MESSAGE' } });
    const p = publicador(true);
    const r = await Promise.allSettled([1, 2, 3].map((n) => p.publicar(evento(n))));
    expect(r.map((x) => x.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((r[1] as PromiseRejectedResult).reason)).toMatch(/m-2 .*broker timeout/);
  });

  it('an answer without failedEntries fails the whole batch (nothing is assumed published)', async () => {
    responder = () => ({ status: 403, cuerpo: { errorCode: 'ERR_PUBSUB_FORBIDDEN', message: 'not allowed' } });
    const p = publicador(true);
    const r = await Promise.allSettled([1, 2].map((n) => p.publicar(evento(n))));
    expect(r.map((x) => x.status)).toEqual(['rejected', 'rejected']);
    expect(String((r[0] as PromiseRejectedResult).reason)).toMatch(/HTTP 403/);
  });

  it('a message that breaks the contract is refused alone, before any call', async () => {
    const p = publicador(true);
    const roto = { ...evento(9), type: 'ReservaInventada' };
    const r = await Promise.allSettled([p.publicar(evento(1)), p.publicar(roto)]);
    expect(r[0]!.status).toBe('fulfilled');
    expect((r[1] as PromiseRejectedResult).reason).toBeInstanceOf(ContratoInvalido);
    expect(llamadas.flatMap((c) => c.cuerpo.map((e) => e.event.id_mensaje))).toEqual(['m-1']);
  });

  it('without batching, one publish call per message with the metadata in the query', async () => {
    const p = publicador(false);
    await p.publicar(evento(1));
    expect(llamadas.map((c) => c.url)).toEqual(['/v1.0/publish/pubsub/eventos-reserva?metadata.cloudevent.id=m-1&metadata.cloudevent.type=ReservaAprobada']);
  });
});
