/**
 * Bad values fail at install time (values.schema.json, or the templates' `required`/`fail`) with a
 * message naming the value, and a broken values file on disk is rejected the same way.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cleanupTmp, lint, PULSAR_HOST, REPO, template } from './support/k8s';

afterAll(() => cleanupTmp());

const host = `dapr:\n  pubsub:\n    pulsar:\n      host: ${PULSAR_HOST}\n`;

/** [case, values YAML, text the error must contain] */
const rejected: [string, string, RegExp][] = [
  ['missing Pulsar host', '{}\n', /dapr\.pubsub\.pulsar\.host is required/],
  ['Pulsar host that is not a URL', 'dapr:\n  pubsub:\n    pulsar:\n      host: "not a url"\n', /host/],
  ['negative replica count', `${host}services:\n  aeroalpes:\n    replicaCount: -1\n`, /replicaCount/],
  ['zero replicas', `${host}services:\n  notificaciones:\n    replicaCount: 0\n`, /replicaCount/],
  ['replica count as text', `${host}services:\n  ui:\n    replicaCount: two\n`, /replicaCount/],
  ['image tag latest', `${host}services:\n  ui:\n    image:\n      tag: latest\n`, /tag/],
  ['malformed digest', `${host}services:\n  ui:\n    image:\n      digest: sha256:abc\n`, /digest/],
  ['privileged port (non-root cannot bind it)', `${host}services:\n  aeroalpes:\n    port: 80\n`, /port/],
  ['misspelt key', `${host}services:\n  aeroalpes:\n    replicaCont: 3\n`, /replicaCont/],
  ['running as root', `${host}podSecurityContext:\n  runAsNonRoot: false\n`, /runAsNonRoot/],
  ['privilege escalation', `${host}securityContext:\n  allowPrivilegeEscalation: true\n`, /allowPrivilegeEscalation/],
  ['capabilities not dropped', `${host}securityContext:\n  capabilities:\n    drop: []\n`, /drop/],
  ['added capability', `${host}securityContext:\n  capabilities:\n    add: [NET_ADMIN]\n`, /add/],
  ['missing resource limits', `${host}services:\n  aeroalpes:\n    resources:\n      limits: null\n`, /limits/],
  ['unbounded retries', `${host}dapr:\n  resiliency:\n    policies:\n      retries:\n        publicar:\n          maxRetries: -1\n`, /maxRetries/],
  ['retry field Dapr ignores', `${host}dapr:\n  resiliency:\n    policies:\n      retries:\n        publicar:\n          initialInterval: 1s\n`, /initialInterval/],
  ['no MongoDB replica set', `${host}dapr:\n  statestore:\n    mongodb:\n      replicaSet: ""\n`, /replicaSet/],
  ['unknown component scope', `${host}dapr:\n  pubsub:\n    scopes: [aeroalpes, facturacion]\n`, /scopes/],
  ['dapr.io annotations through podAnnotations', `${host}services:\n  ui:\n    podAnnotations:\n      dapr.io/app-id: otro\n`, /dapr\.io\/app-id/],
  [
    'HPA with min above max',
    `${host}services:\n  aeroalpes:\n    autoscaling:\n      enabled: true\n      minReplicas: 5\n      maxReplicas: 2\n`,
    /minReplicas \(5\) must not exceed maxReplicas \(2\)/,
  ],
  ['TLS Ingress without host', `${host}ingress:\n  tls:\n    enabled: true\n    secretName: tls\n`, /ingress\.host is required/],
  ['shutdown without a drain', `${host}shutdown:\n  drainSeconds: 0\n`, /drainSeconds/],
  ['both PDB limits', `${host}services:\n  ui:\n    pdb:\n      minAvailable: 1\n`, /pdb/],
  // A PodDisruptionBudget that allows no eviction would block every node drain.
  ['PDB without a limit', `${host}services:\n  ui:\n    pdb:\n      maxUnavailable: null\n`, /missing property 'maxUnavailable'/],
  ['PDB allowing no pod unavailable', `${host}services:\n  ui:\n    pdb:\n      maxUnavailable: 0\n`, /maxUnavailable/],
  ['PDB allowing 0% unavailable', `${host}services:\n  ui:\n    pdb:\n      maxUnavailable: 0%\n`, /maxUnavailable/],
  ['PDB keeping 100%', `${host}services:\n  ui:\n    pdb:\n      maxUnavailable: null\n      minAvailable: 100%\n`, /minAvailable/],
  [
    'PDB keeping every replica of the HPA minimum',
    `${host}services:\n  ui:\n    pdb:\n      maxUnavailable: null\n      minAvailable: 2\n`,
    /services\.ui\.pdb\.minAvailable \(2\) would keep all of its 2 replica\(s\)/,
  ],
  [
    'PDB percentage that rounds up to every replica',
    `${host}services:\n  notificaciones:\n    pdb:\n      maxUnavailable: null\n      minAvailable: 51%\n`,
    /services\.notificaciones\.pdb\.minAvailable \(51%\) would keep all of its 2 replica\(s\)/,
  ],
  [
    'PDB keeping the only fixed replica',
    `${host}services:\n  aeroalpes:\n    replicaCount: 1\n    autoscaling:\n      enabled: false\n    pdb:\n      maxUnavailable: null\n      minAvailable: 1\n`,
    /services\.aeroalpes\.pdb\.minAvailable \(1\) would keep all of its 1 replica\(s\)/,
  ],
  // The ui's per-pod subscription is not a setting: a consumer id without {podName}, or durable, would break it.
  ['pubsub-broadcast subscription settings as values', `${host}  pubsubBroadcast:\n    consumerID: ui\n`, /consumerID/],
  ['pubsub-broadcast with an invalid name', `${host}  pubsubBroadcast:\n    name: Difusion_UI\n`, /name/],
  ['existing token Secret with an invalid name', `${host}  tokens:\n    ui:\n      existingApiTokenSecret: Not_A_Name\n`, /existingApiTokenSecret/],
  ['token Secret for an unknown service', `${host}  tokens:\n    facturacion:\n      existingApiTokenSecret: x\n`, /facturacion/],
  ['empty peer list (a rule without peers allows everyone)', `${host}networkPolicy:\n  pulsar:\n    to: []\n`, /pulsar/],
  ['empty peer', `${host}networkPolicy:\n  dns:\n    to: [{}]\n`, /dns/],
  ['peer mixing ipBlock and podSelector', `${host}networkPolicy:\n  mongodb:\n    to:\n      - ipBlock: {cidr: 10.0.0.0/8}\n        podSelector: {}\n`, /mongodb/],
  ['NetworkPolicy port out of range', `${host}networkPolicy:\n  mongodb:\n    ports: [70000]\n`, /ports/],
  [
    'Pulsar port the NetworkPolicy does not open',
    'dapr:\n  pubsub:\n    pulsar:\n      host: pulsar+ssl://pulsar:6651\n      enableTLS: true\n',
    /networkPolicy\.pulsar\.ports \(6650\) must include 6651/,
  ],
  [
    'tracing collector without a NetworkPolicy peer',
    `dapr:\n  pubsub:\n    pulsar:\n      host: ${PULSAR_HOST}\n  configuration:\n    tracing:\n      otel:\n        endpointAddress: otel.observability:4317\n`,
    /networkPolicy\.tracing\.to must name/,
  ],
];

describe('values that must fail', () => {
  it.each(rejected)('%s is rejected', (_name, values, message) => {
    const r = template({ values });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(message);
  });

  it('the same values pass once the mistake is removed (the cases are not failing for another reason)', () => {
    const r = template({ values: host });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('a deliberately broken values file on disk is rejected by helm lint and helm template', () => {
    const file = path.join(REPO, 'tests', 'k8s', 'fixtures', 'broken-values.yaml');
    expect(fs.existsSync(file)).toBe(true);
    const t = template({ valuesFiles: [file] });
    expect(t.status).not.toBe(0);
    expect(t.stderr).toMatch(/replicaCount/);
    const l = lint({ valuesFiles: [file] });
    expect(l.status).not.toBe(0);
    expect(`${l.stdout}${l.stderr}`).toMatch(/1 chart\(s\) failed/);
  });
});

describe('values that must pass', () => {
  it.each([
    ['image by digest', `${host}services:\n  ui:\n    image:\n      digest: sha256:${'a'.repeat(64)}\n`],
    ['registry prefix', `${host}image:\n  registry: registry.example.com:5000/equipo\n`],
    [
      'repository with a registry and port (Skaffold default-repo)',
      `${host}services:\n  aeroalpes:\n    image:\n      repository: localhost:5000/aeroalpes\n      tag: ${'f'.repeat(64)}\n`,
    ],
    ['PDB as minAvailable', `${host}services:\n  ui:\n    pdb:\n      maxUnavailable: null\n      minAvailable: 1\n`],
    ['percentage PDB', `${host}services:\n  ui:\n    pdb:\n      maxUnavailable: 50%\n`],
    ['PDB as a minAvailable percentage below the replicas', `${host}services:\n  ui:\n    pdb:\n      maxUnavailable: null\n      minAvailable: 50%\n`],
    [
      'PDB minAvailable below a fixed replica count',
      `${host}services:\n  ui:\n    replicaCount: 3\n    autoscaling:\n      enabled: false\n    pdb:\n      maxUnavailable: null\n      minAvailable: 2\n`,
    ],
    ['PDB off with one replica', `${host}services:\n  ui:\n    replicaCount: 1\n    autoscaling:\n      enabled: false\n    pdb:\n      enabled: false\n`],
    [
      'Pulsar token from a Secret',
      `dapr:\n  pubsub:\n    pulsar:\n      host: pulsar+ssl://pulsar:6651\n      enableTLS: true\n      auth:\n        existingSecret: pulsar-token\nnetworkPolicy:\n  pulsar:\n    to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: pulsar}}}]\n    ports: [6651]\n`,
    ],
    ['existing token Secrets', `${host}  tokens:\n    aeroalpes:\n      existingApiTokenSecret: a-api\n      existingAppTokenSecret: a-app\n`],
    ['NetworkPolicies off', `${host}networkPolicy:\n  enabled: false\n`],
    ['MongoDB outside the cluster by CIDR', `${host}networkPolicy:\n  mongodb:\n    to: [{ipBlock: {cidr: 10.40.0.0/24, except: [10.40.0.1/32]}}]\n    ports: [27017, 27018]\n`],
    [
      'several Pulsar hosts, one port each',
      `dapr:\n  pubsub:\n    pulsar:\n      host: pulsar://a:6650,b:6652\nnetworkPolicy:\n  pulsar:\n    to: [{ipBlock: {cidr: 10.1.0.0/16}}]\n    ports: [6650, 6652]\n`,
    ],
    [
      'tracing with its collector allowed',
      `dapr:\n  pubsub:\n    pulsar:\n      host: ${PULSAR_HOST}\n  configuration:\n    tracing:\n      otel:\n        endpointAddress: otel.observability:4317\nnetworkPolicy:\n  tracing:\n    to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: observability}}}]\n`,
    ],
    ['Prometheus allowed to the sidecar metrics', `${host}networkPolicy:\n  metrics:\n    from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]\n`],
  ])('%s', (_name, values) => {
    const r = template({ values });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
