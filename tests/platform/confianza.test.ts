/**
 * Trust boundaries between the sidecars (real daprd with mTLS from the launcher's Sentry, real
 * Pulsar): who may publish and subscribe which topic (the pub/sub component's scopes) and who may
 * invoke what (the Configuration's access control, checked against the caller's SPIFFE id).
 */
import { randomUUID } from 'node:crypto';
import { crearEventoReserva } from '@aeroalpes/contratos';
import { url } from '../support/stack';

type App = 'aeroalpes' | 'notificaciones' | 'ui';

async function publicar(desde: App, topic: string): Promise<{ status: number; cuerpo: string }> {
  const idMensaje = randomUUID();
  const evento = crearEventoReserva('ReservaCreada', { id_reserva: randomUUID(), id_cliente: '', estado: 'Pendiente', fecha_creacion: Date.now() }, { id_mensaje: idMensaje });
  const res = await fetch(`${url(desde, 'daprHttp')}/v1.0/publish/pubsub/${topic}?metadata.cloudevent.id=${idMensaje}&metadata.cloudevent.type=ReservaCreada`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(evento),
  });
  return { status: res.status, cuerpo: await res.text() };
}

async function invocar(desde: App, app: App, metodo: string, ruta: string): Promise<{ status: number; cuerpo: string }> {
  const res = await fetch(`${url(desde, 'daprHttp')}/v1.0/invoke/${app}/method/${ruta}`, {
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

  test('a topic that is not one of ours is refused to every app, aeroalpes included', async () => {
    for (const desde of ['aeroalpes', 'notificaciones', 'ui'] as const) expect((await publicar(desde, `otro-${randomUUID().slice(0, 8)}`)).status).toBe(403);
  });

  test('aeroalpes publishes the events and the commands', async () => {
    expect((await publicar('aeroalpes', 'eventos-reserva')).status).toBe(204);
  });

  test('each sidecar subscribes only to what its app consumes', async () => {
    const temas = async (app: App): Promise<string[]> => {
      const meta = (await (await fetch(`${url(app, 'daprHttp')}/v1.0/metadata`)).json()) as { subscriptions?: { topic: string }[] };
      return (meta.subscriptions ?? []).map((s) => s.topic).sort();
    };
    expect(await temas('aeroalpes')).toEqual(['comandos-reserva', 'eventos-reserva']);
    expect(await temas('notificaciones')).toEqual(['comandos-reserva-dlq', 'eventos-reserva', 'eventos-reserva-dlq']);
    expect(await temas('ui')).toEqual(['eventos-reserva']);
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
    const res = await fetch(`${url('notificaciones', 'daprHttp')}/v1.0/invoke/aeroalpes/method/vuelos/reservas`, { headers: { 'dapr-caller-app-id': 'ui' } });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('spiffe://public/ns/default/notificaciones');
  });
});
