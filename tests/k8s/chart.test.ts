/**
 * The Helm chart, offline: helm lint; helm template with the default values (plus the required
 * Pulsar host), the production-like values and the Skaffold dev values; every built-in object
 * validated against the Kubernetes schemas of KUBE_VERSION (kubernetes-validate, strict); every Dapr
 * resource validated against the CRD schemas of the pinned Dapr release; what the chart must
 * guarantee (Dapr annotations, probes, Ingress routes, security context, no plain-text secrets).
 */
import { cleanupTmp, find, isDapr, type K8sObject, kubeValidate, lint, render, renderSet, SERVICES, validateDapr, VALUE_SET_NAMES, VALUE_SETS } from './support/k8s';

const { defaults: DEFAULTS, production: PRODUCTION, dev: DEV } = VALUE_SETS;

afterAll(() => cleanupTmp());

const renders = Object.fromEntries(VALUE_SET_NAMES.map((name) => [name, () => renderSet(name)])) as Record<string, () => K8sObject[]>;

const deployments = (objs: K8sObject[]) => objs.filter((o) => o.kind === 'Deployment');
const podSpec = (d: K8sObject) => d.spec.template.spec;
const container = (d: K8sObject) => podSpec(d).containers[0];

describe('helm lint', () => {
  it.each([
    ['default values', DEFAULTS],
    ['production-like values', PRODUCTION],
    ['dev values', DEV],
  ])('passes --strict with %s', (_name, opts) => {
    const r = lint(opts);
    expect(`${r.stdout}${r.stderr}`).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(r.status).toBe(0);
  });
});

describe.each(Object.keys(renders))('rendered with the %s values', (name) => {
  const objects = () => renders[name]!();

  it('renders the expected set of objects', () => {
    const kinds = objects().map((o) => `${o.kind}/${o.metadata.name}`);
    for (const svc of SERVICES) {
      expect(kinds).toContain(`Deployment/aeroalpes-${svc}`);
      expect(kinds).toContain(`Service/aeroalpes-${svc}`);
      expect(kinds).toContain(`ServiceAccount/aeroalpes-${svc}`);
    }
    expect(kinds).toEqual(
      expect.arrayContaining(['Component/pubsub', 'Component/pubsub-broadcast', 'Component/statestore', 'Configuration/aeroalpes-config', 'Resiliency/aeroalpes-resiliency']),
    );
    // Credentials are named, not carried: the only Secrets the chart creates are the Dapr API
    // tokens it generates itself (boundaries.test.ts).
    for (const s of objects().filter((o) => o.kind === 'Secret')) expect(s.metadata.name).toMatch(/^aeroalpes-(aeroalpes|notificaciones|ui)-(dapr|app)-api-token$/);
  });

  it('every built-in object is valid for the Kubernetes schemas (strict)', () => {
    const builtIn = objects().filter((o) => !isDapr(o));
    expect(builtIn.length).toBeGreaterThan(0);
    const v = kubeValidate(builtIn);
    expect(v.errors).toEqual([]);
    expect(v.warnings).toEqual([]);
    expect(v.status).toBe(0);
    // Each object must have been checked against a schema, not skipped.
    expect(v.passed.sort()).toEqual(builtIn.map((o) => `${o.kind.toLowerCase()}/${o.metadata.name}`).sort());
  });

  it('every Dapr resource is valid for the Dapr CRD schemas', () => {
    const dapr = objects().filter(isDapr);
    expect(dapr.length).toBe(5);
    expect(dapr.flatMap(validateDapr)).toEqual([]);
  });

  it('every Deployment has its Dapr sidecar annotations', () => {
    for (const d of deployments(objects())) {
      const svc = d.metadata.labels['app.kubernetes.io/component'];
      const a = d.spec.template.metadata.annotations;
      expect(a['dapr.io/enabled']).toBe('true');
      expect(a['dapr.io/app-id']).toBe(svc);
      expect(a['dapr.io/app-port']).toBe(svc === 'aeroalpes' ? '50051' : svc === 'notificaciones' ? '5001' : '5678');
      expect(a['dapr.io/app-protocol']).toBe(svc === 'aeroalpes' ? 'grpc' : 'http');
      expect(a['dapr.io/config']).toBe('aeroalpes-config');
      expect(a['dapr.io/log-as-json']).toBe('true');
      expect(a['dapr.io/log-level']).toMatch(/^(debug|info|warn|error)$/);
      for (const k of ['cpu-request', 'cpu-limit', 'memory-request', 'memory-limit']) expect(a[`dapr.io/sidecar-${k}`]).toMatch(/^[0-9.]+(m|Mi|Gi)?$/);
      expect(a['dapr.io/sidecar-seccomp-profile-type']).toBe('RuntimeDefault');
    }
  });

  it('every container has startup and liveness probes on /health/live, readiness on /health/ready, and resource requests and limits', () => {
    for (const d of deployments(objects())) {
      const c = container(d);
      expect(c.startupProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(c.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(c.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      // The sidecar's app health check of the HTTP apps is the readiness (it pauses deliveries while draining).
      const a = d.spec.template.metadata.annotations;
      if (a['dapr.io/app-protocol'] === 'http') expect(a['dapr.io/app-health-check-path']).toBe('/health/ready');
      expect(c.resources.requests).toEqual({ cpu: expect.anything(), memory: expect.anything() });
      expect(c.resources.limits).toEqual({ cpu: expect.anything(), memory: expect.anything() });
    }
  });

  it('the shutdown fits the grace period: preStop sleep, then a drain of APAGADO_MS, before the kill', () => {
    for (const d of deployments(objects())) {
      const c = container(d);
      const env = Object.fromEntries(c.env.map((e: { name: string; value?: string }) => [e.name, e.value]));
      const drenaje = Number(env.APAGADO_MS) / 1000;
      expect(c.lifecycle.preStop.exec.command).toEqual(['sleep', '5']);
      expect(drenaje).toBe(10);
      const gracia = podSpec(d).terminationGracePeriodSeconds as number;
      // The kill comes only after the preStop wait and the whole drain, with margin, and not before
      // the sidecar's own graceful shutdown.
      expect(gracia).toBeGreaterThanOrEqual(5 + drenaje + 5);
      expect(gracia).toBeGreaterThanOrEqual(Number(d.spec.template.metadata.annotations['dapr.io/graceful-shutdown-seconds']));
    }
  });

  it('passes the runtime configuration through environment variables', () => {
    const env = (svc: string) =>
      Object.fromEntries(
        container(find(objects(), 'Deployment', `aeroalpes-${svc}`)).env.map((e: { name: string; value?: string; valueFrom?: unknown }) => [e.name, e.value ?? e.valueFrom]),
      );
    expect(env('aeroalpes')).toMatchObject({
      PORT: '5000',
      GRPC_PORT: '50051',
      PUBSUB_NAME: 'pubsub',
      TOPIC_EVENTOS: 'eventos-reserva',
      TOPIC_COMANDOS: 'comandos-reserva',
      MONGODB_DB: 'aeroalpes',
    });
    expect(env('aeroalpes').MONGODB_URI).toEqual({ secretKeyRef: { name: 'aeroalpes-mongodb', key: 'uri' } });
    expect(env('notificaciones')).toMatchObject({ PORT: '5001', PUBSUB_NAME: 'pubsub', STATESTORE_NAME: 'statestore' });
    // The ui subscribes per replica through its own component and uses no other.
    expect(env('ui')).toMatchObject({ PORT: '5678', PUBSUB_BROADCAST_NAME: 'pubsub-broadcast', STATESTORE_NAME: 'statestore' });
    expect(env('ui').PUBSUB_NAME).toBeUndefined();
    for (const svc of ['aeroalpes', 'notificaciones']) expect(env(svc).PUBSUB_BROADCAST_NAME).toBeUndefined();
    for (const svc of ['aeroalpes', 'notificaciones', 'ui']) expect(env(svc).NODE_OPTIONS).toBe('--max-semi-space-size=4');
  });

  it('no image is unpinned or :latest', () => {
    for (const d of deployments(objects())) {
      for (const c of podSpec(d).containers) {
        expect(c.image).toMatch(/^[a-z0-9./-]+(:[A-Za-z0-9_][A-Za-z0-9_.-]*|@sha256:[a-f0-9]{64})$/);
        expect(c.image).not.toMatch(/:latest$/);
      }
    }
  });

  it('one PodDisruptionBudget per replicated service, selecting its pods', () => {
    for (const pdb of objects().filter((o) => o.kind === 'PodDisruptionBudget')) {
      const svc = pdb.metadata.labels['app.kubernetes.io/component'];
      expect(pdb.spec.selector.matchLabels).toEqual(find(objects(), 'Deployment', `aeroalpes-${svc}`).spec.selector.matchLabels);
    }
  });
});

describe('security', () => {
  it.each(['defaults', 'production'])('%s: nothing runs as root, escalates, keeps capabilities or writes its root filesystem', (name) => {
    for (const d of deployments(renders[name]!())) {
      const pod = podSpec(d);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.hostNetwork ?? false).toBe(false);
      for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
        expect(c.securityContext).toMatchObject({
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
          privileged: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(c.securityContext.capabilities.add).toBeUndefined();
        expect(c.securityContext.runAsUser ?? pod.securityContext.runAsUser).not.toBe(0);
      }
    }
  });

  it('the dev profile relaxes only readOnlyRootFilesystem (its watcher writes dist/), never the user', () => {
    const d = find(renders.dev!(), 'Deployment', 'aeroalpes-aeroalpes');
    expect(container(d).securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  });

  it.each(['defaults', 'production', 'dev'])('%s: no secret value appears in plain text', (name) => {
    const objects = renders[name]!();
    const text = JSON.stringify(objects);
    // Connection strings with credentials, bearer tokens, private keys.
    expect(text).not.toMatch(/mongodb(\+srv)?:\/\/[^"\s]*@/);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
    expect(text).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY/);
    // Sensitive Dapr metadata comes from secretKeyRef, never a value.
    const sensitive = /^(password|token|connectionString|host|username|oauth2ClientSecret|privateKey)$/;
    for (const c of objects.filter((o) => o.kind === 'Component')) {
      for (const m of c.spec.metadata as { name: string; value?: unknown; secretKeyRef?: unknown }[]) {
        if (c.spec.type === 'pubsub.pulsar' && m.name === 'host') continue; // a broker URL, not a secret
        if (sensitive.test(m.name)) {
          expect({ name: m.name, value: m.value }).toEqual({ name: m.name, value: undefined });
          expect(m.secretKeyRef).toBeDefined();
        }
      }
    }
    // Environment variables carrying credentials come from Secrets.
    for (const d of deployments(objects)) {
      for (const e of container(d).env as { name: string; value?: string }[]) {
        if (/URI|PASSWORD|TOKEN|SECRET/.test(e.name)) expect({ name: e.name, value: e.value }).toEqual({ name: e.name, value: undefined });
      }
    }
  });
});

describe('Dapr resources', () => {
  it("pubsub: Pulsar at the configured host, shared subscriptions, the topics' Avro schemas, scoped", () => {
    const pubsub = find(renders.production!(), 'Component', 'pubsub');
    const meta = Object.fromEntries(pubsub.spec.metadata.map((m: { name: string; value?: string; secretKeyRef?: unknown }) => [m.name, m.value ?? m.secretKeyRef]));
    expect(pubsub.spec.type).toBe('pubsub.pulsar');
    expect(meta.host).toBe('pulsar+ssl://pulsar-broker.pulsar.svc.cluster.local:6651');
    expect(meta.enableTLS).toBe('true');
    expect(meta.token).toEqual({ name: 'aeroalpes-pulsar', key: 'token' });
    expect(meta.subscribeType).toBe('shared');
    expect(JSON.parse(meta['eventos-reserva.avroschema']).name).toBeDefined();
    expect(JSON.parse(meta['comandos-reserva.avroschema']).name).toBeDefined();
    expect(pubsub.scopes).toEqual(['aeroalpes', 'notificaciones']);
  });

  it("pubsub-broadcast: the same Pulsar and token, one non-durable subscription per ui pod from the newest message, the events' schema, scoped to the ui", () => {
    const broadcast = find(renders.production!(), 'Component', 'pubsub-broadcast');
    const meta = Object.fromEntries(broadcast.spec.metadata.map((m: { name: string; value?: string; secretKeyRef?: unknown }) => [m.name, m.value ?? m.secretKeyRef]));
    expect(broadcast.spec.type).toBe('pubsub.pulsar');
    expect(meta.host).toBe('pulsar+ssl://pulsar-broker.pulsar.svc.cluster.local:6651');
    expect(meta.enableTLS).toBe('true');
    expect(meta.token).toEqual({ name: 'aeroalpes-pulsar', key: 'token' });
    // {podName}: Dapr fills it from the sidecar's POD_NAME, the pod's name in Kubernetes.
    expect(meta.consumerID).toBe('ui-{podName}');
    expect(meta.subscribeMode).toBe('non_durable');
    expect(meta.subscribeInitialPosition).toBe('latest');
    expect(JSON.parse(meta['eventos-reserva.avroschema']).name).toBe('EventoReservaPayload');
    expect(meta['comandos-reserva.avroschema']).toBeUndefined();
    expect(meta.subscriptionScopes).toBe('ui=eventos-reserva');
    expect(meta.publishingScopes).toBe('ui=eventos-reserva-dlq');
    expect(broadcast.scopes).toEqual(['ui']);
    // The ui's messages keep the bounded retries of the Resiliency policy.
    const targets = find(renders.production!(), 'Resiliency', 'aeroalpes-resiliency').spec.targets.components;
    expect(targets['pubsub-broadcast'].inbound).toEqual(targets.pubsub.inbound);
  });

  it('statestore: MongoDB from a Secret through secretKeyRef, with the replica set', () => {
    const st = find(renders.defaults!(), 'Component', 'statestore');
    const meta = Object.fromEntries(st.spec.metadata.map((m: { name: string; value?: string; secretKeyRef?: unknown }) => [m.name, m.value ?? m.secretKeyRef]));
    expect(st.spec.type).toBe('state.mongodb');
    expect(meta.host).toEqual({ name: 'aeroalpes-mongodb', key: 'host' });
    expect(meta.password).toEqual({ name: 'aeroalpes-mongodb', key: 'password' });
    expect(meta.params).toBe('?replicaSet=rs0&authSource=admin');
    expect(st.scopes).toEqual(['notificaciones', 'ui']);
  });

  it('statestore: a whole connection string from an existing Secret', () => {
    const objs = render({ set: { ...DEFAULTS.set, 'dapr.statestore.mongodb.connection': 'connectionString', 'dapr.statestore.mongodb.existingSecret': 'mongo-externo' } });
    const st = find(objs, 'Component', 'statestore');
    expect(st.spec.metadata.find((m: { name: string }) => m.name === 'connectionString')).toEqual({
      name: 'connectionString',
      secretKeyRef: { name: 'mongo-externo', key: 'uri' },
    });
    expect(st.spec.metadata.map((m: { name: string }) => m.name)).not.toContain('password');
    expect(objs.flatMap((o) => (isDapr(o) ? validateDapr(o) : []))).toEqual([]);
  });

  it('Configuration: mTLS on, tracing, metrics', () => {
    const cfg = find(renders.production!(), 'Configuration', 'aeroalpes-config');
    expect(cfg.spec.mtls).toMatchObject({ enabled: true, controlPlaneTrustDomain: 'cluster.local', sentryAddress: 'dapr-sentry.dapr-system.svc.cluster.local:443' });
    expect(cfg.spec.tracing).toEqual({ samplingRate: '0.1', otel: { endpointAddress: 'otel-collector.observability.svc.cluster.local:4317', isSecure: false, protocol: 'grpc' } });
    expect(cfg.spec.metric).toEqual({ enabled: true });
  });

  it('Configuration: no collector, no sampling (spans nobody reads cost CPU in every sidecar), whatever samplingRate says', () => {
    const cfg = find(render({ set: { ...DEFAULTS.set, 'dapr.configuration.tracing.samplingRate': '1' } }), 'Configuration', 'aeroalpes-config');
    expect(cfg.spec.tracing).toEqual({ samplingRate: '0' });
  });
});

describe('Ingress', () => {
  const rules = (ing: K8sObject) =>
    ing.spec.rules.flatMap((r: { host?: string; http: { paths: { path: string; pathType: string; backend: { service: { name: string; port: { name: string } } } }[] } }) =>
      r.http.paths.map((p) => ({ host: r.host, path: p.path, pathType: p.pathType, service: p.backend.service.name, port: p.backend.service.port.name })),
    );

  it('routes the REST API to aeroalpes and the page, its files, /api and /ws to ui, over TLS in production', () => {
    const objs = renders.production!();
    const api = find(objs, 'Ingress', 'aeroalpes-api');
    const ui = find(objs, 'Ingress', 'aeroalpes-ui');
    const route = (service: string) => (path: string, pathType: string) => ({ host: 'aeroalpes.example.com', path, pathType, service, port: 'http' });
    const toApi = route('aeroalpes-aeroalpes');
    const toUi = route('aeroalpes-ui');
    expect(rules(api)).toEqual([toApi('/vuelos', 'Prefix'), toApi('/clientes', 'Prefix'), toApi('/spec', 'Exact'), toApi('/health', 'Exact')]);
    // Which paths these must be, derived from the services' code: boundaries.test.ts.
    expect(rules(ui)).toEqual([
      toUi('/', 'Exact'),
      toUi('/app.js', 'Exact'),
      toUi('/styles.css', 'Exact'),
      toUi('/js', 'Prefix'),
      toUi('/img', 'Prefix'),
      toUi('/vendor/bootstrap', 'Prefix'),
      toUi('/api', 'Prefix'),
      toUi('/ws', 'Exact'),
    ]);
    for (const ing of [api, ui]) expect(ing.spec.tls).toEqual([{ hosts: ['aeroalpes.example.com'], secretName: 'aeroalpes-tls' }]);
    // Websocket connections stay open past the controller's 60 s default.
    expect(Number(ui.metadata.annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(3600);
    expect(api.metadata.annotations?.['nginx.ingress.kubernetes.io/proxy-read-timeout']).toBeUndefined();
  });

  it('the backends exist with the named port', () => {
    const objs = renders.defaults!();
    for (const ing of objs.filter((o) => o.kind === 'Ingress')) {
      for (const r of rules(ing)) {
        const svc = find(objs, 'Service', r.service);
        expect(svc.spec.ports.map((p: { name: string }) => p.name)).toContain(r.port);
      }
    }
  });

  it('the dev values have no Ingress (Skaffold port-forwards instead)', () => {
    expect(renders.dev!().filter((o) => o.kind === 'Ingress')).toEqual([]);
  });
});

describe('scaling', () => {
  it.each(['defaults', 'production'])('%s: one HPA per service, ui included, on CPU, owning its replica count from 2 up', (name) => {
    const objs = renders[name]!();
    const hpas = objs.filter((o) => o.kind === 'HorizontalPodAutoscaler');
    expect(hpas.map((h) => h.metadata.name).sort()).toEqual(SERVICES.map((svc) => `aeroalpes-${svc}`).sort());
    for (const svc of SERVICES) {
      const hpa = find(objs, 'HorizontalPodAutoscaler', `aeroalpes-${svc}`);
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: `aeroalpes-${svc}` });
      expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: expect.any(Number) } } }]);
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
      expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
      // Utilization is relative to the requests: every container of the pod (the sidecar's by annotation) requests CPU.
      const d = find(objs, 'Deployment', `aeroalpes-${svc}`);
      expect(d.spec.replicas).toBeUndefined();
      expect(container(d).resources.requests.cpu).toBeDefined();
      expect(d.spec.template.metadata.annotations['dapr.io/sidecar-cpu-request']).toBeDefined();
    }
  });

  it('autoscaling off: the fixed replica count, no HPA (dev: one replica each)', () => {
    const objs = render({ ...DEFAULTS, setTyped: { 'services.ui.autoscaling.enabled': 'false', 'services.ui.replicaCount': '3' } });
    expect(objs.filter((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'aeroalpes-ui')).toEqual([]);
    expect(find(objs, 'Deployment', 'aeroalpes-ui').spec.replicas).toBe(3);
    expect(find(objs, 'Deployment', 'aeroalpes-aeroalpes').spec.replicas).toBeUndefined();
    const dev = renders.dev!();
    expect(dev.filter((o) => o.kind === 'HorizontalPodAutoscaler')).toEqual([]);
    for (const d of deployments(dev)) expect(d.spec.replicas).toBe(1);
  });

  it.each(['defaults', 'production'])('%s: a PodDisruptionBudget per service that still lets a node drain evict a pod', (name) => {
    const objs = renders[name]!();
    for (const svc of SERVICES) {
      const pdb = find(objs, 'PodDisruptionBudget', `aeroalpes-${svc}`);
      const hpa = find(objs, 'HorizontalPodAutoscaler', `aeroalpes-${svc}`);
      expect(evictable(pdb, hpa.spec.minReplicas)).toBeGreaterThanOrEqual(1);
      expect(pdb.spec.unhealthyPodEvictionPolicy).toBe('AlwaysAllow');
    }
  });

  it('a PDB as minAvailable below the replica count still lets a drain evict', () => {
    const objs = render({ ...DEFAULTS, setTyped: { 'services.ui.pdb.maxUnavailable': 'null', 'services.ui.pdb.minAvailable': '1' } });
    const pdb = find(objs, 'PodDisruptionBudget', 'aeroalpes-ui');
    expect(pdb.spec).toMatchObject({ minAvailable: 1 });
    expect(evictable(pdb, 2)).toBe(1);
  });
});

/** How many of `replicas` ready pods a drain may evict at once under a PDB (Kubernetes rounds percentages up). */
function evictable(pdb: K8sObject, replicas: number): number {
  const scaled = (v: number | string) => (typeof v === 'number' ? v : Math.ceil((Number(v.replace('%', '')) * replicas) / 100));
  if (pdb.spec.maxUnavailable !== undefined) return Math.min(replicas, scaled(pdb.spec.maxUnavailable));
  return Math.max(0, replicas - scaled(pdb.spec.minAvailable));
}

describe('the validators catch mistakes (they are not no-ops)', () => {
  it('kubernetes-validate rejects a misspelt container field and a wrong type', () => {
    const d = structuredClone(find(renders.defaults!(), 'Deployment', 'aeroalpes-aeroalpes'));
    d.spec.template.spec.containers[0].securityContxt = {};
    d.spec.replicas = 'two';
    const v = kubeValidate([d]);
    expect(v.status).not.toBe(0);
    expect(v.errors.join('\n')).toMatch(/deployment\/aeroalpes-aeroalpes/);
  });

  it('the Dapr CRD schemas reject an unknown field, a missing required field and a bad name', () => {
    const c = structuredClone(find(renders.defaults!(), 'Component', 'pubsub'));
    c.scope = c.scopes;
    c.metadata.name = 'PubSub';
    delete c.spec.version;
    const errors = validateDapr(c).join('\n');
    expect(errors).toMatch(/additional properties 'scope'/);
    expect(errors).toMatch(/required property 'version'/);
    expect(errors).toMatch(/DNS-1123/);
    const cfg = structuredClone(find(renders.defaults!(), 'Configuration', 'aeroalpes-config'));
    delete cfg.spec.mtls.sentryAddress;
    expect(validateDapr(cfg).join('\n')).toMatch(/sentryAddress/);
  });
});
