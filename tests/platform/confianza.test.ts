/**
 * Trust boundaries between the sidecars (real daprd with mTLS from the launcher's Sentry, real
 * Pulsar): who may publish and subscribe which topic (the pub/sub components' scopes) and who may
 * invoke what (the Configuration's access control, checked against the caller's SPIFFE id).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import { AppCallback, TopicEventRequestSchema } from '@dapr/dapr/proto/dapr/proto/runtime/v1/appcallback_pb';
import { definicionGrpc } from '@aeroalpes/comun';
import { crearEventoReserva } from '@aeroalpes/contratos';
import { crearClienteVuelos } from '../../services/aeroalpes/src/api/grpc/contrato';
import { sidecarFetch, stackInfo, tokenSidecar, url } from '../support/stack';

type App = 'aeroalpes' | 'notificaciones' | 'ui';

/** The pub/sub component each app's sidecar loads: the ui subscribes per replica through its own. */
const PUBSUB: Record<App, string> = { aeroalpes: 'pubsub', notificaciones: 'pubsub', ui: 'pubsub-broadcast' };

async function publicar(desde: App, topic: string, pubsub = PUBSUB[desde]): Promise<{ status: number; cuerpo: string }> {
  const idMensaje = randomUUID();
  const evento = crearEventoReserva('ReservaCreada', { id_reserva: randomUUID(), id_cliente: '', estado: 'Pendiente', fecha_creacion: Date.now() }, { id_mensaje: idMensaje });
  const res = await sidecarFetch(desde, `/v1.0/publish/${pubsub}/${topic}?metadata.cloudevent.id=${idMensaje}&metadata.cloudevent.type=ReservaCreada`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(evento),
  });
  return { status: res.status, cuerpo: await res.text() };
}

async function invocar(desde: App, app: App, metodo: string, ruta: string): Promise<{ status: number; cuerpo: string }> {
  const res = await sidecarFetch(desde, `/v1.0/invoke/${app}/method/${ruta}`, {
    method: metodo,
    ...(metodo === 'POST' ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}),
  });
  return { status: res.status, cuerpo: await res.text() };
}

describe('pub/sub scopes', () => {
  test.each([
    ['notificaciones', 'comandos-reserva'],
    ['notificaciones', 'eventos-reserva'],
    ['ui', 'comandos-reserva'],
    ['ui', 'eventos-reserva'],
  ] as const)('%s may not publish to %s', async (desde, topic) => {
    const { status, cuerpo } = await publicar(desde, topic);
    expect(status).toBe(403);
    expect(cuerpo).toMatch(/ERR_PUBSUB_FORBIDDEN/);
  });

  test("each app's sidecar loads only its own pub/sub component", async () => {
    for (const [desde, ajeno] of [
      ['aeroalpes', 'pubsub-broadcast'],
      ['notificaciones', 'pubsub-broadcast'],
      ['ui', 'pubsub'],
    ] as const) {
      const { status, cuerpo } = await publicar(desde, 'eventos-reserva', ajeno);
      expect({ desde, ajeno, status }).toEqual({ desde, ajeno, status: 404 });
      expect(cuerpo).toMatch(/ERR_PUBSUB_NOT_FOUND/);
    }
  });

  test('a topic that is not one of ours is refused to every app, aeroalpes included', async () => {
    for (const desde of ['aeroalpes', 'notificaciones', 'ui'] as const) expect((await publicar(desde, `otro-${randomUUID().slice(0, 8)}`)).status).toBe(403);
  });

  test('aeroalpes publishes the events and the commands', async () => {
    expect((await publicar('aeroalpes', 'eventos-reserva')).status).toBe(204);
  });

  test('each sidecar subscribes only to what its app consumes, through its own component', async () => {
    const temas = async (app: App): Promise<string[]> => {
      const meta = (await (await sidecarFetch(app, `/v1.0/metadata`)).json()) as { subscriptions?: { pubsubname: string; topic: string }[] };
      return (meta.subscriptions ?? []).map((s) => `${s.pubsubname}/${s.topic}`).sort();
    };
    expect(await temas('aeroalpes')).toEqual(['pubsub/comandos-reserva', 'pubsub/eventos-reserva']);
    expect(await temas('notificaciones')).toEqual(['pubsub/comandos-reserva-dlq', 'pubsub/eventos-reserva', 'pubsub/eventos-reserva-dlq']);
    expect(await temas('ui')).toEqual(['pubsub-broadcast/eventos-reserva']);
  });
});

describe('service invocation: default deny, the ui allowed what it needs', () => {
  test('the ui may list, create and act on reservas', async () => {
    expect((await invocar('ui', 'aeroalpes', 'GET', 'vuelos/reservas?tamano=1')).status).toBe(200);
    // Reaches the REST API (which rejects the empty body): the policy let it through.
    const crear = await invocar('ui', 'aeroalpes', 'POST', 'vuelos/reserva-comando');
    expect(crear.status).toBe(400);
    expect(crear.cuerpo).toMatch(/validacion/);
    const accion = await invocar('ui', 'aeroalpes', 'POST', `vuelos/reserva/${randomUUID()}/aprobar`);
    expect(accion.status).toBe(404);
    expect(accion.cuerpo).toMatch(/no_encontrado/);
  });

  test.each([
    ['ui', 'aeroalpes', 'GET', 'vuelos/reserva/00000000-0000-4000-8000-000000000000'],
    ['ui', 'aeroalpes', 'POST', 'vuelos/reserva'],
    ['ui', 'aeroalpes', 'GET', 'health'],
    ['ui', 'notificaciones', 'GET', 'notificaciones?id_reserva=00000000-0000-4000-8000-000000000000'],
    ['ui', 'notificaciones', 'GET', 'dead-letter'],
    ['notificaciones', 'aeroalpes', 'GET', 'vuelos/reservas'],
    ['notificaciones', 'aeroalpes', 'POST', 'vuelos/reserva-comando'],
    ['notificaciones', 'ui', 'GET', 'health'],
    ['aeroalpes', 'notificaciones', 'GET', 'dead-letter'],
    ['aeroalpes', 'ui', 'GET', 'api/reservas'],
  ] as const)('%s may not invoke %s %s /%s', async (desde, app, metodo, ruta) => {
    const { status, cuerpo } = await invocar(desde, app, metodo, ruta);
    expect(status).toBe(403);
    expect(cuerpo).toMatch(/access control policy has denied access to id: spiffe:\/\/public\/ns\/default\//);
  });

  test('the caller identity is the mTLS certificate Sentry issued, not a header', async () => {
    // A caller that claims to be the ui is still the sidecar it called through: the denial names
    // the SPIFFE id of notificaciones' certificate (without mTLS there would be no id to name).
    const res = await sidecarFetch('notificaciones', `/v1.0/invoke/aeroalpes/method/vuelos/reservas`, { headers: { 'dapr-caller-app-id': 'ui' } });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('spiffe://public/ns/default/notificaciones');
  });
});

describe('API tokens: only an app and its own sidecar talk to each other', () => {
  const APPS = ['aeroalpes', 'notificaciones', 'ui', 'gateway'] as const;

  test.each(APPS)("%s' sidecar refuses its API without its token (health stays open)", async (app) => {
    const base = url(app, 'daprHttp');
    expect((await fetch(`${base}/v1.0/metadata`)).status).toBe(401);
    expect((await fetch(`${base}/v1.0/metadata`, { headers: { 'dapr-api-token': 'no-es-el-token' } })).status).toBe(401);
    // Another app's token is not this sidecar's either.
    const otro = APPS.find((a) => a !== app)!;
    expect((await fetch(`${base}/v1.0/metadata`, { headers: tokenSidecar(otro) })).status).toBe(401);
    expect((await sidecarFetch(app, '/v1.0/metadata')).status).toBe(200);
    expect((await fetch(`${base}/v1.0/healthz`)).status).toBe(204);
  });

  /** The routes daprd posts to, as the app declares them to its own sidecar. */
  const rutasDapr = async (app: 'notificaciones' | 'ui'): Promise<string[]> => {
    expect((await fetch(`${url(app)}/dapr/subscribe`)).status).toBe(401);
    const res = await fetch(`${url(app)}/dapr/subscribe`, { headers: { 'dapr-api-token': stackInfo().tokens[app]!.app! } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { route: string }[]).map((s) => s.route);
  };

  test.each(['notificaciones', 'ui'] as const)('forged CloudEvents to every subscription and dead-letter route of %s are refused and leave no trace', async (app) => {
    const rutas = await rutasDapr(app);
    expect(rutas.length).toBeGreaterThan(0);
    if (app === 'notificaciones') expect(rutas).toEqual(expect.arrayContaining(['/eventos/reserva', '/dead-letter/eventos-reserva', '/dead-letter/comandos-reserva']));
    const idReserva = randomUUID();
    const idMensaje = randomUUID();
    const forjado = {
      specversion: '1.0',
      id: idMensaje,
      type: 'ReservaCreada',
      source: 'aeroalpes',
      datacontenttype: 'application/json',
      data: crearEventoReserva('ReservaCreada', { id_reserva: idReserva, id_cliente: '', estado: 'Pendiente', fecha_creacion: Date.now() }, { id_mensaje: idMensaje }),
    };
    for (const ruta of rutas) {
      for (const cabeceras of [{}, { 'dapr-api-token': 'adivinado' }, tokenSidecar(app)]) {
        const res = await fetch(`${url(app)}${ruta}`, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json', ...cabeceras }, body: JSON.stringify(forjado) });
        expect({ ruta, status: res.status }).toEqual({ ruta, status: 401 });
      }
    }
    // Nothing was recorded: no notification, no dead letter, no ui history for that reserva.
    await new Promise((r) => setTimeout(r, 500));
    const notificaciones = (await (await fetch(`${url('notificaciones')}/notificaciones?id_reserva=${idReserva}`)).json()) as { notificaciones: unknown[] };
    expect(notificaciones.notificaciones).toEqual([]);
    expect(await (await fetch(`${url('notificaciones')}/dead-letter`)).text()).not.toContain(idMensaje);
    expect(await (await fetch(`${url('ui')}/api/reservas/${idReserva}/eventos`)).text()).not.toContain(idMensaje);
  });

  test("aeroalpes' gRPC app port answers UNAUTHENTICATED to anyone without its app token", async () => {
    const { ports, tokens } = stackInfo();
    const directo = `127.0.0.1:${ports.services.aeroalpes[0]!.grpc}`;
    const sin = crearClienteVuelos(directo);
    const conToken = crearClienteVuelos(directo, { 'dapr-api-token': tokens.aeroalpes!.app! });
    const appCallback = new grpc.Client(directo, grpc.credentials.createInsecure());
    try {
      const e = (await sin.crearReserva({ itinerarios: [] }).catch((err: unknown) => err)) as grpc.ServiceError;
      expect(grpc.status[e.code]).toBe('UNAUTHENTICATED');
      // A forged OnTopicEvent (a command delivered by "daprd") is refused the same way.
      const metodo = definicionGrpc(AppCallback).onTopicEvent!;
      const forjado = create(TopicEventRequestSchema, { id: randomUUID(), type: 'ComandoCrearReserva', topic: 'comandos-reserva', pubsubName: 'pubsub', data: Buffer.from('{}') });
      const respuesta = await new Promise<grpc.ServiceError | null>((resolve) =>
        appCallback.makeUnaryRequest(metodo.path, metodo.requestSerialize, metodo.responseDeserialize, forjado, new grpc.Metadata(), (err) => resolve(err)),
      );
      expect(grpc.status[respuesta!.code]).toBe('UNAUTHENTICATED');
      // With the token (what daprd sends) the same port serves.
      const noExiste = (await conToken.consultarReserva({ id: randomUUID() }).catch((err: unknown) => err)) as grpc.ServiceError;
      expect(grpc.status[noExiste.code]).toBe('NOT_FOUND');
    } finally {
      sin.cerrar();
      conToken.cerrar();
      appCallback.close();
    }
  });

  test('every app port and every sidecar port listens on loopback only', () => {
    const { ports } = stackInfo();
    const escuchando = new Map<number, string>();
    for (const archivo of ['/proc/net/tcp', '/proc/net/tcp6']) {
      for (const linea of fs.readFileSync(archivo, 'utf8').split('\n').slice(1)) {
        const campos = linea.trim().split(/\s+/);
        if (campos[3] !== '0A') continue; // LISTEN
        const [dir, puerto] = campos[1]!.split(':');
        escuchando.set(parseInt(puerto!, 16), dir!);
      }
    }
    const LOOPBACK = new Set(['0100007F', '00000000000000000000000001000000']);
    const puertos: [string, number][] = [
      ...Object.entries(ports.services)
        .flatMap(([app, replicas]) => replicas.map((p) => [app, p] as const))
        .flatMap(([app, p]): [string, number][] => [
          [`${app} http`, p.http],
          ...(p.grpc ? [[`${app} grpc`, p.grpc] as [string, number]] : []),
          [`${app} daprd http`, p.daprHttp],
          [`${app} daprd grpc`, p.daprGrpc],
          [`${app} daprd internal`, p.daprInternal],
          [`${app} daprd metrics`, p.metrics],
        ]),
      ['gateway daprd http', ports.gateway.daprHttp],
      ['gateway daprd grpc', ports.gateway.daprGrpc],
      ['sentry', ports.sentry],
      // Not Sentry's health port: sentry 1.18 takes --healthz-listen-address but never passes it to
      // its health server (cmd/sentry/app/app.go gives it only the port), so it binds [::]. It
      // answers /healthz only.
    ];
    const fuera = puertos
      .filter(([, puerto]) => !LOOPBACK.has(escuchando.get(puerto) ?? 'no escucha'))
      .map(([que, puerto]) => `${que} ${puerto}: ${escuchando.get(puerto) ?? 'no escucha'}`);
    expect(fuera).toEqual([]);
  });
});
