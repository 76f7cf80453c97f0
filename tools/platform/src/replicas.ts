/**
 * How many replicas of each service the launcher starts (AEROALPES_REPLICAS), and the ports of each
 * replica in the local run. Every replica has its own daprd; all of a service's replicas share its
 * Dapr app id, so they share its Pulsar subscriptions (work is spread) and its name-resolution entry
 * (invocations are spread); the ui's broadcast component gives each ui replica its own subscription.
 */
import type { ServiceName, ServicePorts } from './stack';

export type Replicas = Record<ServiceName, number>;

const NOMBRES: readonly ServiceName[] = ['aeroalpes', 'notificaciones', 'ui'];

/** The most replicas of one service the local port scheme has room for (see replicaPorts). */
export const MAX_REPLICAS = 5;

export const UNA_REPLICA: Replicas = { aeroalpes: 1, notificaciones: 1, ui: 1 };

export class ReplicasInvalidas extends Error {}

/**
 * AEROALPES_REPLICAS: empty -> one of each; `2` -> two of each; `aeroalpes=3,ui=2` -> those, one of
 * the others; `0` -> none (only the infrastructure: Pulsar, PostgreSQL, FerretDB, Sentry and the API
 * clients' sidecar, e.g. for `dapr run -f .`). Whole numbers 0..MAX_REPLICAS; anything else is refused
 * with the reason, never guessed.
 */
export function leerReplicas(texto: string | undefined): Replicas {
  const crudo = (texto ?? '').trim();
  if (crudo === '') return { ...UNA_REPLICA };
  const cuenta = (valor: string, donde: string): number => {
    if (!/^[0-9]+$/.test(valor) || Number(valor) > MAX_REPLICAS) {
      throw new ReplicasInvalidas(`AEROALPES_REPLICAS: ${donde} '${valor}' is not a whole number from 0 to ${MAX_REPLICAS}`);
    }
    return Number(valor);
  };
  if (!crudo.includes('=')) {
    const n = cuenta(crudo, 'count');
    return { aeroalpes: n, notificaciones: n, ui: n };
  }
  const replicas = { ...UNA_REPLICA };
  const vistos = new Set<string>();
  for (const parte of crudo.split(',')) {
    const [nombre = '', valor = '', ...resto] = parte.split('=').map((s) => s.trim());
    if (resto.length > 0 || !NOMBRES.includes(nombre as ServiceName)) {
      throw new ReplicasInvalidas(`AEROALPES_REPLICAS: '${parte.trim()}' is not <service>=<count> with a service among ${NOMBRES.join(', ')}`);
    }
    if (vistos.has(nombre)) throw new ReplicasInvalidas(`AEROALPES_REPLICAS: ${nombre} is given twice`);
    vistos.add(nombre);
    replicas[nombre as ServiceName] = cuenta(valor, nombre);
  }
  return replicas;
}

/**
 * The local ports of replica `k` (1-based) of a service whose first replica has `base`: every port
 * plus 10 per replica after the first (aeroalpes 5000, 5010, 5020; its daprd 3500, 3510, ...), except
 * the ui's page, which counts up by one (5678, 5679, ...): the page a user opens next door. Ten apart
 * because the services' first replicas sit next to each other (5000/5001, 3500-3503, 50001-50004,
 * 9090-9094). With at most MAX_REPLICAS nothing collides: the highest daprd gRPC port is 50041,
 * below aeroalpes' own 50051.
 */
export function replicaPorts(servicio: ServiceName, base: ServicePorts, k: number): ServicePorts {
  const d = 10 * (k - 1);
  return {
    http: base.http + (servicio === 'ui' ? k - 1 : d),
    ...(base.grpc ? { grpc: base.grpc + d } : {}),
    daprHttp: base.daprHttp + d,
    daprGrpc: base.daprGrpc + d,
    daprInternal: base.daprInternal + d,
    metrics: base.metrics + d,
  };
}

/** `aeroalpes` for the first replica (the names the logs and the tests have always used), `aeroalpes-2` after. */
export function nombreReplica(servicio: ServiceName, k: number): string {
  return k === 1 ? servicio : `${servicio}-${k}`;
}

/** How a replica's sidecar names its instance (POD_NAME: Dapr's `{podName}` in component metadata). */
export function instanciaReplica(servicio: ServiceName, k: number): string {
  return `${servicio}-${k}`;
}

/** `aeroalpes ×2, notificaciones ×1, ui ×2` for the start banner and the logs. */
export function describirReplicas(replicas: Replicas): string {
  return NOMBRES.map((s) => `${s} ×${replicas[s]}`).join(', ');
}
