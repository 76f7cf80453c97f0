/**
 * One structure for both worlds: the local Dapr resources (components/) and the chart's must not
 * drift. Same component names and versions, the component types per environment listed below,
 * the same topics and Avro schemas, subscription settings, scopes, resiliency policies and
 * targets, tracing and metrics. Both sides are also validated against the Dapr CRD schemas.
 *
 * Differences by design (documented in README, deployment section):
 * - statestore: state.postgresql v2 locally (on the local PostgreSQL; Dapr's MongoDB store cannot
 *   initialise on FerretDB), state.mongodb v1 in Kubernetes; only the name and scopes are shared.
 * - pubsub, pubsub-broadcast: `host` (and TLS, token) are the environment's own.
 * - Configuration: nameResolution (SQLite) only locally, Kubernetes resolves app ids through DNS;
 *   mtls is enabled on both sides, with each environment's Sentry address and trust domain
 *   (locally those of the Dapr CLI, dapr.yaml); certificate lifetimes only in the chart (locally
 *   they are the launcher's Sentry's settings).
 */
import fs from 'node:fs';
import path from 'node:path';
import { topicosConEsquema, topicosDeclarados } from '../../tools/platform/src/sync-components';
import { leerConfigUi } from '../../services/ui/src/config';
import { CHART, cleanupTmp, type K8sObject, PULSAR_HOST, readManifests, render, REPO, validateDapr } from './support/k8s';

afterAll(() => cleanupTmp());

const COMPONENTS = path.join(REPO, 'components');
const CONTRACT_SCHEMAS = path.join(REPO, 'packages', 'contratos', 'schema', 'v1');
const CHART_SCHEMAS = path.join(CHART, 'files', 'avro', 'v1');

/** Component types per environment: the only place where the two worlds may differ in kind. */
const TYPES: Record<string, { local: string; kubernetes: string }> = {
  pubsub: { local: 'pubsub.pulsar/v1', kubernetes: 'pubsub.pulsar/v1' },
  'pubsub-broadcast': { local: 'pubsub.pulsar/v1', kubernetes: 'pubsub.pulsar/v1' },
  statestore: { local: 'state.postgresql/v2', kubernetes: 'state.mongodb/v1' },
};
/** Pulsar metadata that each environment sets for itself. */
const PUBSUB_ENVIRONMENT_KEYS = new Set(['host', 'enableTLS', 'token']);
const PULSAR_COMPONENTS = ['pubsub', 'pubsub-broadcast'];

type Meta = { name: string; value?: unknown; secretKeyRef?: unknown };
const metaMap = (c: K8sObject): Map<string, Meta> => new Map((c.spec.metadata as Meta[]).map((m) => [m.name, m]));

let local: K8sObject[] = [];
let chart: K8sObject[] = [];

beforeAll(() => {
  if (!fs.existsSync(COMPONENTS)) throw new Error(`${COMPONENTS} is missing`);
  local = fs
    .readdirSync(COMPONENTS)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .flatMap((f) => readManifests(path.join(COMPONENTS, f)));
  chart = render({ set: { 'dapr.pubsub.pulsar.host': PULSAR_HOST } }).filter((o) => o.apiVersion.startsWith('dapr.io/'));
});

const key = (o: K8sObject) => `${o.apiVersion} ${o.kind}/${o.metadata.name}`;
function pick(objs: K8sObject[], kind: string, name: string): K8sObject {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`${kind}/${name} missing; have ${objs.map(key).join(', ')}`);
  return o;
}

describe('local components/ and the chart', () => {
  it('declare the same Dapr resources (apiVersion, kind, name)', () => {
    expect(local.map(key).sort()).toEqual(chart.map(key).sort());
  });

  it('local resources are valid for the Dapr CRD schemas too (a field Dapr ignores is an error)', () => {
    expect(local.flatMap(validateDapr)).toEqual([]);
  });

  it.each(Object.keys(TYPES))('component %s has the documented type and version per environment, and the same scopes', (name) => {
    const l = pick(local, 'Component', name);
    const k = pick(chart, 'Component', name);
    expect({ local: `${l.spec.type}/${l.spec.version}`, kubernetes: `${k.spec.type}/${k.spec.version}` }).toEqual(TYPES[name]);
    expect([...(l.scopes ?? [])].sort()).toEqual([...(k.scopes ?? [])].sort());
    expect(l.scopes?.length ?? 0).toBeGreaterThan(0);
  });

  it.each(PULSAR_COMPONENTS)('%s: the same subscription and topic settings; only the environment keys differ', (name) => {
    const l = metaMap(pick(local, 'Component', name));
    const k = metaMap(pick(chart, 'Component', name));
    const shared = (m: Map<string, Meta>) => [...m.keys()].filter((n) => !PUBSUB_ENVIRONMENT_KEYS.has(n)).sort();
    expect(shared(l)).toEqual(shared(k));
    for (const key of shared(l)) {
      const [lv, kv] = [l.get(key)!.value, k.get(key)!.value];
      if (key.endsWith('.avroschema')) expect(JSON.parse(String(lv))).toEqual(JSON.parse(String(kv)));
      else expect({ key, value: String(lv) }).toEqual({ key, value: String(kv) });
    }
    expect(l.get('subscribeType')?.value).toBe('shared');
    // The launcher sets the run's Pulsar on every Pulsar component's `host`; the chart from values.
    expect(l.has('host')).toBe(true);
    expect(k.get('host')?.value).toBe(PULSAR_HOST);
  });

  it.each(PULSAR_COMPONENTS.flatMap((name) => ['local', 'chart'].map((side) => [name, side])))(
    '%s (%s) carries the Avro v1 contract of packages/contratos for each contract topic it allows, and no other schema',
    (name, side) => {
      const metadata = pick(side === 'local' ? local : chart, 'Component', name).spec.metadata as Meta[];
      const topics = topicosConEsquema(metadata);
      expect(topics.length).toBeGreaterThan(0);
      expect(topicosDeclarados(metadata).sort()).toEqual([...topics].sort());
      for (const topic of topics) {
        const contract = JSON.parse(fs.readFileSync(path.join(CONTRACT_SCHEMAS, `${topic}.avsc`), 'utf8'));
        expect({ topic, schema: JSON.parse(String(metadata.find((m) => m.name === `${topic}.avroschema`)!.value)) }).toEqual({ topic, schema: contract });
      }
    },
  );

  it('the work is spread by pubsub (one durable subscription per app id); the ui has its own per replica in pubsub-broadcast, and no other', () => {
    for (const objs of [local, chart]) {
      const pubsub = metaMap(pick(objs, 'Component', 'pubsub'));
      const broadcast = pick(objs, 'Component', 'pubsub-broadcast');
      const b = metaMap(broadcast);
      expect(pubsub.has('consumerID')).toBe(false); // Dapr's default: the app id
      expect(pubsub.get('subscribeMode')?.value ?? 'durable').toBe('durable');
      expect(pubsub.get('subscribeInitialPosition')?.value).toBe('earliest');
      // One subscription per sidecar, named after its pod; gone with it; from the newest message.
      expect(b.get('consumerID')?.value).toBe('ui-{podName}');
      expect(b.get('subscribeMode')?.value).toBe('non_durable');
      expect(b.get('subscribeInitialPosition')?.value).toBe('latest');
      // Only the ui loads it, and the ui loads no other pub/sub component.
      expect(broadcast.scopes).toEqual(['ui']);
      expect(b.get('subscriptionScopes')?.value).toBe('ui=eventos-reserva');
      expect(b.get('publishingScopes')?.value).toBe('ui=eventos-reserva-dlq');
      for (const c of objs.filter((o) => o.kind === 'Component' && o.spec.type === 'pubsub.pulsar' && o.metadata.name !== 'pubsub-broadcast')) {
        // A component without scopes would be loaded by every app, the ui included.
        expect({ component: c.metadata.name, scoped: (c.scopes ?? []).length > 0, ui: (c.scopes ?? []).includes('ui') }).toEqual({
          component: c.metadata.name,
          scoped: true,
          ui: false,
        });
        for (const key of ['publishingScopes', 'subscriptionScopes']) expect(String(metaMap(c).get(key)?.value)).not.toMatch(/(^|;)ui=/);
      }
    }
  });

  it('the ui subscribes through the component its configuration names by default, and the chart gives it that name', () => {
    const guardado = process.env.PUBSUB_BROADCAST_NAME;
    delete process.env.PUBSUB_BROADCAST_NAME;
    try {
      expect(leerConfigUi().pubsubDifusion).toBe(pick(local, 'Component', 'pubsub-broadcast').metadata.name);
    } finally {
      if (guardado !== undefined) process.env.PUBSUB_BROADCAST_NAME = guardado;
    }
    const ui = render({ set: { 'dapr.pubsub.pulsar.host': PULSAR_HOST } }).find((o) => o.kind === 'Deployment' && o.metadata.name === 'aeroalpes-ui')!;
    const env = new Map((ui.spec.template.spec.containers[0].env as { name: string; value?: string }[]).map((e) => [e.name, e.value]));
    expect(env.get('PUBSUB_BROADCAST_NAME')).toBe('pubsub-broadcast');
    expect(env.has('PUBSUB_NAME')).toBe(false);
  });

  it('Resiliency: the same policies and targets', () => {
    const l = pick(local, 'Resiliency', 'aeroalpes-resiliency');
    const k = pick(chart, 'Resiliency', 'aeroalpes-resiliency');
    expect(k.spec).toEqual(l.spec);
    expect(k.scopes).toEqual(l.scopes);
    // Bounded: every retry policy has a finite maxRetries.
    for (const [name, r] of Object.entries(l.spec.policies.retries as Record<string, { maxRetries?: number }>)) {
      expect({ name, bounded: typeof r.maxRetries === 'number' && r.maxRetries >= 0 }).toEqual({ name, bounded: true });
    }
    // Targets cover publishing, message processing and invocation of aeroalpes.
    expect(l.spec.targets.components.pubsub.outbound.retry).toBeDefined();
    expect(l.spec.targets.components.pubsub.inbound.retry).toBeDefined();
    // Invocations of aeroalpes are bounded by a timeout and a circuit breaker but never retried:
    // creating a reserva is not idempotent (the server assigns the id).
    expect(l.spec.targets.apps.aeroalpes).toEqual({ timeout: expect.any(String), circuitBreaker: expect.any(String) });
  });

  it("Configuration: the same tracing, metrics and invocation policy; name resolution only locally; mTLS enabled on both sides, each with its environment's Sentry", () => {
    const l = pick(local, 'Configuration', 'aeroalpes-config');
    const k = pick(chart, 'Configuration', 'aeroalpes-config');
    expect(k.spec.tracing.samplingRate).toBe(l.spec.tracing.samplingRate);
    expect(k.spec.metric ?? { enabled: true }).toEqual(l.spec.metric ?? { enabled: true });
    const { nameResolution: _nr, tracing: _lt, metric: _lm, accessControl: lAcl, mtls: lMtls, ...localRest } = l.spec;
    const { mtls, tracing: _kt, metric: _km, accessControl: kAcl, ...chartRest } = k.spec;
    expect(chartRest).toEqual(localRest);
    // The same invocation policy; the caller's namespace is the release's in Kubernetes.
    const sinNamespace = (acl: any) => ({ ...acl, policies: acl.policies.map(({ namespace: _n, ...p }: any) => p) });
    expect(sinNamespace(kAcl)).toEqual(sinNamespace(lAcl));
    expect(lAcl.defaultAction).toBe('deny');
    expect(lAcl.policies.map((p: any) => p.namespace)).toEqual(lAcl.policies.map(() => 'default'));
    expect(mtls.enabled).toBe(true);
    // Locally what the Dapr CLI reads (enabled) and uses (its fixed Sentry address; dapr.yaml).
    expect(lMtls).toEqual({ enabled: true, sentryAddress: 'localhost:50001', controlPlaneTrustDomain: 'localhost' });
    expect(Object.keys(mtls)).toEqual(expect.arrayContaining(Object.keys(lMtls)));
    expect(k.spec.nameResolution).toBeUndefined();
  });
});

describe('Avro schemas in the chart', () => {
  it('files/avro/v1 holds byte-identical copies of packages/contratos/schema/v1, no more, no less', () => {
    const contract = fs
      .readdirSync(CONTRACT_SCHEMAS)
      .filter((f) => f.endsWith('.avsc'))
      .sort();
    const copies = fs.readdirSync(CHART_SCHEMAS).sort();
    expect(copies).toEqual(contract);
    const stale = contract.filter((f) => !fs.readFileSync(path.join(CONTRACT_SCHEMAS, f)).equals(fs.readFileSync(path.join(CHART_SCHEMAS, f))));
    // Fix: cp packages/contratos/schema/v1/*.avsc charts/aeroalpes/files/avro/v1/
    expect({ stale }).toEqual({ stale: [] });
  });

  it.each(['eventos-reserva', 'comandos-reserva'])('the schema of %s has a copy in the chart', (topic) => {
    expect(fs.existsSync(path.join(CHART_SCHEMAS, `${topic}.avsc`))).toBe(true);
  });
});
