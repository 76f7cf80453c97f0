import { leerReplicas, MAX_REPLICAS, nombreReplica, replicaPorts, ReplicasInvalidas } from './replicas';
import { localPortPlan, SERVICES } from './stack';

describe('AEROALPES_REPLICAS', () => {
  test('empty: one of each; a number: that many of each; 0: only the infrastructure', () => {
    expect(leerReplicas(undefined)).toEqual({ aeroalpes: 1, notificaciones: 1, ui: 1 });
    expect(leerReplicas(' ')).toEqual({ aeroalpes: 1, notificaciones: 1, ui: 1 });
    expect(leerReplicas('2')).toEqual({ aeroalpes: 2, notificaciones: 2, ui: 2 });
    expect(leerReplicas('0')).toEqual({ aeroalpes: 0, notificaciones: 0, ui: 0 });
  });

  test('per service: the ones named, one of the others', () => {
    expect(leerReplicas('aeroalpes=3,ui=2')).toEqual({ aeroalpes: 3, notificaciones: 1, ui: 2 });
    expect(leerReplicas(' notificaciones = 0 ')).toEqual({ aeroalpes: 1, notificaciones: 0, ui: 1 });
  });

  test.each([
    ['-1', /count '-1'/],
    ['1.5', /count '1.5'/],
    [String(MAX_REPLICAS + 1), /from 0 to 5/],
    ['dos', /count 'dos'/],
    ['aeroalpes=2,pagos=1', /'pagos=1' is not <service>=<count>/],
    ['aeroalpes=2,aeroalpes=3', /aeroalpes is given twice/],
    ['ui=', /ui ''/],
    ['ui=1=2', /'ui=1=2'/],
  ])('%s is refused with the reason', (texto, motivo) => {
    expect(() => leerReplicas(texto)).toThrow(ReplicasInvalidas);
    expect(() => leerReplicas(texto)).toThrow(motivo);
  });
});

describe('the local port scheme', () => {
  test("replica 1 keeps the original ports; the ui's second page is 5679; the others are ten apart", () => {
    const plan = localPortPlan({ aeroalpes: 2, notificaciones: 2, ui: 2 });
    expect(plan.services.aeroalpes.map((p) => [p.http, p.grpc, p.daprHttp, p.daprGrpc])).toEqual([
      [5000, 50051, 3500, 50001],
      [5010, 50061, 3510, 50011],
    ]);
    expect(plan.services.notificaciones.map((p) => p.http)).toEqual([5001, 5011]);
    expect(plan.services.ui.map((p) => p.http)).toEqual([5678, 5679]);
    expect(nombreReplica('ui', 1)).toBe('ui');
    expect(nombreReplica('ui', 2)).toBe('ui-2');
  });

  test('with the most replicas of everything, no two ports are the same', () => {
    const plan = localPortPlan({ aeroalpes: MAX_REPLICAS, notificaciones: MAX_REPLICAS, ui: MAX_REPLICAS });
    const todos = [
      plan.pulsarBroker,
      plan.pulsarWeb,
      plan.pulsarBookie,
      plan.mongo,
      plan.postgres,
      plan.sentry,
      plan.sentryHealth,
      plan.sentryMetrics,
      ...Object.values(plan.gateway),
      ...SERVICES.flatMap((s) => plan.services[s].flatMap((p) => Object.values(p))),
    ];
    expect(todos).toHaveLength(8 + 4 + MAX_REPLICAS * (6 + 5 + 5));
    expect(new Set(todos).size).toBe(todos.length);
  });

  test('replicaPorts leaves a service without gRPC without it', () => {
    expect(replicaPorts('ui', { http: 1, daprHttp: 2, daprGrpc: 3, daprInternal: 4, metrics: 5 }, 3)).toEqual({
      http: 3,
      daprHttp: 22,
      daprGrpc: 23,
      daprInternal: 24,
      metrics: 25,
    });
  });
});
