/**
 * The chart's trust boundaries, offline (issue 12): the Dapr API tokens (Secrets, annotations, the
 * apps' environment, no value anywhere else), what listens where, the NetworkPolicies (default
 * deny, then exactly the listed flows) and the Ingress (only the paths browsers and API clients
 * use; never a subscription, dead-letter, Dapr or operator route). The path lists are derived from
 * the services' code, so a new route or page file shows up here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CHART, cleanupTmp, find, type K8sObject, render, renderSet, REPO, SERVICES, type Servicio, VALUE_SET_NAMES, VALUE_SETS, type ValueSet } from './support/k8s';

afterAll(() => cleanupTmp());

const deployments = (objs: K8sObject[]) => objs.filter((o) => o.kind === 'Deployment');
const svcOf = (o: K8sObject): Servicio => o.metadata.labels['app.kubernetes.io/component'];
const appContainer = (d: K8sObject) => d.spec.template.spec.containers[0];
const source = (file: string) => fs.readFileSync(path.join(REPO, file), 'utf8');
const matches = (text: string, re: RegExp) => [...text.matchAll(re)].map((m) => m[1]!);

type EnvVar = { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } };
const envOf = (d: K8sObject) => new Map((appContainer(d).env as EnvVar[]).map((e) => [e.name, e]));

// ---------------------------------------------------------------------------------------------
// Dapr API tokens

/** The annotation naming each Secret and the app's variable holding the same value. */
const TOKENS = [
  { annotation: 'dapr.io/api-token-secret', env: 'DAPR_API_TOKEN', suffix: 'dapr-api-token' },
  { annotation: 'dapr.io/app-token-secret', env: 'APP_API_TOKEN', suffix: 'app-api-token' },
] as const;

/** The token values a render carries (each Secret's data, decoded and as rendered). */
function tokenValues(objs: K8sObject[]): string[] {
  return objs.filter((o) => o.kind === 'Secret').flatMap((s) => [s.data.token as string, Buffer.from(s.data.token, 'base64').toString('utf8')]);
}

describe('Dapr API tokens', () => {
  it.each(VALUE_SET_NAMES)('%s: every pod names both token Secrets, and its app reads the same Secrets (key token)', (name) => {
    const objs = renderSet(name);
    for (const d of deployments(objs)) {
      const annotations = d.spec.template.metadata.annotations;
      const env = envOf(d);
      for (const t of TOKENS) {
        const secret = annotations[t.annotation];
        expect(secret).toMatch(/^[a-z0-9][-a-z0-9.]*$/);
        expect(env.get(t.env)).toEqual({ name: t.env, valueFrom: { secretKeyRef: { name: secret, key: 'token' } } });
      }
      // The two tokens of one pod are different Secrets.
      expect(annotations['dapr.io/api-token-secret']).not.toBe(annotations['dapr.io/app-token-secret']);
    }
  });

  it.each(['defaults', 'dev'] as ValueSet[])('%s: the chart generates each Secret it names, 48 random characters under `token`', (name) => {
    const objs = renderSet(name);
    const secrets = objs.filter((o) => o.kind === 'Secret');
    const names = SERVICES.flatMap((svc) => TOKENS.map((t) => `aeroalpes-${svc}-${t.suffix}`));
    expect(secrets.map((s) => s.metadata.name).sort()).toEqual([...names].sort());
    for (const d of deployments(objs)) for (const t of TOKENS) expect(names).toContain(d.spec.template.metadata.annotations[t.annotation]);
    const values = secrets.map((s) => {
      expect(s.type).toBe('Opaque');
      expect(Object.keys(s.data)).toEqual(['token']);
      expect(s.stringData).toBeUndefined();
      return Buffer.from(s.data.token, 'base64').toString('utf8');
    });
    for (const v of values) expect(v).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(new Set(values).size).toBe(values.length);
  });

  it('production: existing Secrets are referenced and none is generated', () => {
    const objs = renderSet('production');
    expect(objs.filter((o) => o.kind === 'Secret')).toEqual([]);
    for (const d of deployments(objs)) {
      const svc = svcOf(d);
      expect(d.spec.template.metadata.annotations['dapr.io/api-token-secret']).toBe(`${svc}-dapr-api-token`);
      expect(d.spec.template.metadata.annotations['dapr.io/app-token-secret']).toBe(`${svc}-app-api-token`);
    }
  });

  it('an existing Secret for one token replaces only that generated Secret', () => {
    const objs = render({ set: { ...VALUE_SETS.defaults.set, 'dapr.tokens.ui.existingAppTokenSecret': 'ui-externo' } });
    const names = objs.filter((o) => o.kind === 'Secret').map((s) => s.metadata.name);
    expect(names).toHaveLength(5);
    expect(names).not.toContain('aeroalpes-ui-app-api-token');
    const ui = find(objs, 'Deployment', 'aeroalpes-ui');
    expect(ui.spec.template.metadata.annotations['dapr.io/app-token-secret']).toBe('ui-externo');
    expect(envOf(ui).get('APP_API_TOKEN')?.valueFrom?.secretKeyRef).toEqual({ name: 'ui-externo', key: 'token' });
    expect(ui.spec.template.metadata.annotations['dapr.io/api-token-secret']).toBe('aeroalpes-ui-dapr-api-token');
  });

  it.each(VALUE_SET_NAMES)('%s: no token value appears outside its Secret data (labels, annotations, env, other objects)', (name) => {
    const objs = renderSet(name);
    const values = tokenValues(objs);
    const elsewhere = JSON.stringify(objs.map((o) => (o.kind === 'Secret' ? { ...o, data: undefined } : o)));
    for (const v of values) expect(elsewhere).not.toContain(v);
    // Nothing else with a token-like name carries a literal value.
    for (const d of deployments(objs)) for (const e of envOf(d).values()) if (/TOKEN/.test(e.name)) expect(e.value).toBeUndefined();
  });

  it('token values are read or drawn only in templates/dapr-tokens.yaml (never NOTES, labels or values)', () => {
    const dir = path.join(CHART, 'templates');
    for (const file of fs.readdirSync(dir)) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      if (file === 'dapr-tokens.yaml') {
        expect(text).toMatch(/lookup "v1" "Secret"/);
        expect(text).toMatch(/randAlphaNum 48/);
      } else {
        expect({ file, random: /\brand[A-Z]\w*|\blookup\b|\.data\b/.exec(text)?.[0] }).toEqual({ file, random: undefined });
      }
    }
    // The values carry names of Secrets only.
    expect(fs.readFileSync(path.join(CHART, 'values.yaml'), 'utf8')).not.toMatch(/^\s*token:\s*\S/m);
  });
});

// ---------------------------------------------------------------------------------------------
// Where things listen

describe('listening only where needed', () => {
  it.each(VALUE_SET_NAMES)("%s: daprd's API on loopback; placement and scheduler off; aeroalpes' gRPC port on loopback and undeclared", (name) => {
    for (const d of deployments(renderSet(name))) {
      const a = d.spec.template.metadata.annotations;
      expect(a['dapr.io/sidecar-listen-addresses']).toBe('127.0.0.1');
      expect(a['dapr.io/internal-grpc-port']).toBe('50002');
      expect(a['dapr.io/placement-host-address']).toBe('');
      expect(a['dapr.io/scheduler-host-address']).toBe('');
      const c = appContainer(d);
      // Only the HTTP port (REST API, page, probes, HTTP apps' Dapr routes) is on the pod address.
      expect(c.ports.map((p: { name: string }) => p.name)).toEqual(['http']);
      if (svcOf(d) === 'aeroalpes') {
        expect(envOf(d).get('GRPC_HOST')?.value).toBe('127.0.0.1');
        expect(a['dapr.io/app-port']).toBe(envOf(d).get('GRPC_PORT')?.value);
      } else {
        expect(envOf(d).has('GRPC_HOST')).toBe(false);
      }
    }
    for (const s of renderSet(name).filter((o) => o.kind === 'Service')) expect(s.spec.ports.map((p: { name: string }) => p.name)).toEqual(['http']);
  });
});

// ---------------------------------------------------------------------------------------------
// NetworkPolicies

type Selector = { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
type Peer = { podSelector?: Selector; namespaceSelector?: Selector; ipBlock?: { cidr: string } };
type Rule = { from?: Peer[]; to?: Peer[]; ports?: { protocol: string; port: number }[] };

const policies = (objs: K8sObject[]) => objs.filter((o) => o.kind === 'NetworkPolicy');
const selects = (policy: K8sObject, labels: Record<string, string>) => {
  const sel = policy.spec.podSelector as Selector;
  expect(sel.matchExpressions).toBeUndefined();
  return Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
};
/** A peer, with sorted keys, so that equal peers print equally. */
const canon = (value: unknown): string =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? `{${Object.keys(value)
        .sort()
        .map((k) => `${k}:${canon((value as Record<string, unknown>)[k])}`)
        .join(',')}}`
    : JSON.stringify(value);

/** Every allowed flow of one pod, one line per peer and port: "egress TCP/6650 {namespaceSelector:…}". */
function flows(objs: K8sObject[], labels: Record<string, string>): string[] {
  const out: string[] = [];
  for (const p of policies(objs).filter((x) => selects(x, labels))) {
    for (const [direction, field] of [
      ['ingress', 'from'],
      ['egress', 'to'],
    ] as const) {
      for (const rule of (p.spec[direction] ?? []) as Rule[]) {
        for (const peer of rule[field]!) for (const port of rule.ports!) out.push(`${direction} ${port.protocol}/${port.port} ${canon(peer)}`);
      }
    }
  }
  return out.sort();
}

const ns = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
const PEERS = {
  release: { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'aeroalpes', 'app.kubernetes.io/instance': 'aeroalpes' } } },
  ingressNginx: { ...ns('ingress-nginx'), podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' } } },
  dns: { ...ns('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
  sentry: { ...ns('dapr-system'), podSelector: { matchLabels: { app: 'dapr-sentry' } } },
  operator: { ...ns('dapr-system'), podSelector: { matchLabels: { app: 'dapr-operator' } } },
  pulsar: ns('pulsar'),
  mongodb: ns('mongodb'),
  // ci/production-values.yaml
  pulsarBrokers: { ...ns('pulsar'), podSelector: { matchLabels: { component: 'broker' } } },
  mongodbManaged: { ipBlock: { cidr: '10.40.0.0/24' } },
  otel: { ...ns('observability'), podSelector: { matchLabels: { 'app.kubernetes.io/name': 'opentelemetry-collector' } } },
  prometheus: { ...ns('monitoring'), podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } },
};
const flow = (direction: 'ingress' | 'egress', port: number | string, peer: unknown, protocol = 'TCP') => `${direction} ${protocol}/${port} ${canon(peer)}`;
const PORTS: Record<Servicio, number> = { aeroalpes: 5000, notificaciones: 5001, ui: 5678 };

/** The allowed flows per value set: the list the issue gives, nothing else. */
function expectedFlows(name: ValueSet, svc: Servicio): string[] {
  const production = name === 'production';
  const ingress = [flow('ingress', 50002, PEERS.release)];
  // The Ingress controller reaches the REST API and the page; the dev values have no Ingress.
  if (name !== 'dev' && svc !== 'notificaciones') ingress.push(flow('ingress', PORTS[svc], PEERS.ingressNginx));
  if (production) ingress.push(flow('ingress', 9090, PEERS.prometheus));
  const egress = [
    flow('egress', 53, PEERS.dns, 'UDP'),
    flow('egress', 53, PEERS.dns),
    flow('egress', 50001, PEERS.sentry),
    flow('egress', 6500, PEERS.operator),
    flow('egress', 50002, PEERS.release),
    // Every service's sidecar reaches Pulsar (aeroalpes and notificaciones through pubsub, the ui
    // through pubsub-broadcast); aeroalpes (MONGODB_URI) and the statestore scopes reach MongoDB.
    production ? flow('egress', 6651, PEERS.pulsarBrokers) : flow('egress', 6650, PEERS.pulsar),
    production ? flow('egress', 27017, PEERS.mongodbManaged) : flow('egress', 27017, PEERS.mongodb),
  ];
  if (production) egress.push(flow('egress', 4317, PEERS.otel));
  return [...ingress, ...egress].sort();
}

describe('NetworkPolicies', () => {
  describe.each(VALUE_SET_NAMES)('rendered with the %s values', (name) => {
    const objs = () => renderSet(name);

    it("every Deployment's pods are selected by a default-deny policy (ingress and egress, no rule)", () => {
      const denyAll = policies(objs()).filter((p) => p.spec.ingress === undefined && p.spec.egress === undefined);
      expect(denyAll).toHaveLength(1);
      expect(denyAll[0]!.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      for (const d of deployments(objs())) expect(selects(denyAll[0]!, d.spec.template.metadata.labels)).toBe(true);
    });

    it('no rule allows every peer or every port', () => {
      for (const p of policies(objs())) {
        expect(p.spec.policyTypes).toEqual(['Ingress', 'Egress']);
        for (const r of (p.spec.ingress ?? []) as Rule[]) {
          expect(r.from?.length).toBeGreaterThan(0);
          expect(r.ports?.length).toBeGreaterThan(0);
        }
        for (const r of (p.spec.egress ?? []) as Rule[]) {
          expect(r.to?.length).toBeGreaterThan(0);
          expect(r.ports?.length).toBeGreaterThan(0);
        }
        for (const r of [...(p.spec.ingress ?? []), ...(p.spec.egress ?? [])] as Rule[]) {
          for (const peer of [...(r.from ?? []), ...(r.to ?? [])]) expect(Object.keys(peer).length).toBeGreaterThan(0);
        }
      }
    });

    it.each(SERVICES)('%s: the allowed ingress and egress are exactly the listed ones', (svc) => {
      const d = find(objs(), 'Deployment', `aeroalpes-${svc}`);
      expect(flows(objs(), d.spec.template.metadata.labels)).toEqual(expectedFlows(name, svc));
    });

    it('the ports opened to other pods are the ones daprd and the apps use', () => {
      for (const d of deployments(objs())) {
        const a = d.spec.template.metadata.annotations;
        const f = flows(objs(), d.spec.template.metadata.labels);
        expect(f).toContain(flow('ingress', a['dapr.io/internal-grpc-port'], PEERS.release));
        if (name === 'production') expect(f).toContain(flow('ingress', a['dapr.io/metrics-port'], PEERS.prometheus));
        // The app's port opens only to the Ingress controller (never to the other pods).
        const appPort = String(appContainer(d).ports[0].containerPort);
        for (const line of f.filter((l) => l.startsWith(`ingress TCP/${appPort} `))) expect(line).toBe(flow('ingress', appPort, PEERS.ingressNginx));
      }
    });
  });

  it('without an Ingress controller rule nothing reaches the app ports (dev: Skaffold port-forwards through the kubelet)', () => {
    for (const d of deployments(renderSet('dev'))) {
      const appPort = String(appContainer(d).ports[0].containerPort);
      expect(flows(renderSet('dev'), d.spec.template.metadata.labels).filter((l) => l.startsWith(`ingress TCP/${appPort} `))).toEqual([]);
    }
  });

  it('networkPolicy.enabled=false renders none', () => {
    expect(policies(render({ ...VALUE_SETS.defaults, setTyped: { 'networkPolicy.enabled': 'false' } }))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The Ingress, against the routes in the code

type IngressPath = { path: string; pathType: string; backend: { service: { name: string } } };
const ingressPaths = (objs: K8sObject[]) =>
  objs
    .filter((o) => o.kind === 'Ingress')
    .flatMap((ing) => (ing.spec.rules as { http: { paths: IngressPath[] } }[]).flatMap((r) => r.http.paths))
    .map((p) => ({ path: p.path, pathType: p.pathType, service: p.backend.service.name }));

/** Whether an Ingress path (Exact or Prefix, by path elements as networking/v1 defines) matches a request path. */
function reaches(p: { path: string; pathType: string }, request: string): boolean {
  if (p.pathType === 'Exact') return request === p.path;
  if (p.pathType !== 'Prefix') throw new Error(`pathType ${p.pathType}: only Exact and Prefix have portable semantics`);
  const prefix = p.path.replace(/\/+$/, '');
  return prefix === '' || request === prefix || request.startsWith(`${prefix}/`);
}

/** The routes each service serves, read from its code. */
const CODE = {
  /** aeroalpes' route table (REST API, /health, /spec), with the routes of its use-case folders. */
  aeroalpes: () => [
    ...matches(source('services/aeroalpes/src/api/rutas.ts'), /ruta: '([^']+)'/g),
    ...matches(source('services/aeroalpes/src/modulos/vuelos/crear-reserva/rest.ts'), /ruta: '([^']+)'/g),
  ],
  /** ui: the page's files, the vendored files, the BFF's API and the websocket. */
  uiPublic: () =>
    fs.readdirSync(path.join(REPO, 'services/ui/public'), { withFileTypes: true }).map((e) => ({ name: e.name === 'index.html' ? '' : e.name, dir: e.isDirectory() })),
  uiVendor: () => matches(source('services/ui/src/web/estatico.ts'), /'(\/vendor\/[^']+)':/g),
  uiApi: () => matches(source('services/ui/src/reservas/rutas.ts'), /router\.(?:get|post|put|patch|delete)\('([^']+)'/g),
  uiWebsocket: () => matches(source('services/ui/src/eventos/hub.ts'), /RUTA_WS = '([^']+)'/g),
};

/** Paths only a sidecar (or an operator inside the cluster) may call, read from the code. */
function forbiddenPaths(): string[] {
  const topics = ['eventos-reserva', 'comandos-reserva'];
  const subscriptionRoutes = [
    ...matches(source('services/notificaciones/src/main.ts'), /ruta: ['`]([^'`]+)['`]/g),
    ...matches(source('services/ui/src/app.ts'), /RUTA_EVENTOS = '([^']+)'/g),
  ].flatMap((r) => (r.includes('${topic}') ? topics.map((t) => r.replace('${topic}', t)) : [r]));
  // Dapr's callbacks on the app (the subscription list, served by packages/comun, and the rest of /dapr/*).
  const daprRoutes = [...matches(source('packages/comun/src/suscripciones/http.ts'), /app\.get\('(\/dapr\/[^']+)'/g), '/dapr/config', '/dapr/anything'];
  // notificaciones' operator reads (its /health aside, which is not a route the Ingress sends there).
  const operatorRoutes = [
    ...matches(source('services/notificaciones/src/main.ts'), /app\.get\('([^']+)'/g).filter((r) => r !== '/health'),
    // aeroalpes' operator reads (the relay's quarantine).
    ...matches(source('services/aeroalpes/src/main.ts'), /\.get\('(\/operador\/[^']+)'/g),
  ];
  const all = [...subscriptionRoutes, ...daprRoutes, ...operatorRoutes];
  for (const r of [
    '/eventos/reserva',
    '/dead-letter/eventos-reserva',
    '/dead-letter/comandos-reserva',
    '/dapr/subscribe',
    '/dead-letter',
    '/notificaciones',
    '/operador/outbox/cuarentena',
  ]) {
    expect(all).toContain(r); // the code still says what this test expects to find
  }
  return all.flatMap((r) => [r, `${r}/x`]);
}

/** A concrete request path for a route template: `/vuelos/reserva/{id}` -> `/vuelos/reserva/x`. */
const concrete = (route: string) => route.replace(/\{[^}]+\}|:[A-Za-z_]+/g, 'x');

describe('Ingress paths', () => {
  const objs = () => renderSet('defaults');

  it("routes every route of aeroalpes' table to aeroalpes", () => {
    const routes = CODE.aeroalpes();
    expect(routes.length).toBeGreaterThan(10);
    for (const r of routes) {
      const hits = ingressPaths(objs()).filter((p) => reaches(p, concrete(r)));
      expect({ route: r, services: hits.map((h) => h.service) }).toEqual({ route: r, services: ['aeroalpes-aeroalpes'] });
    }
  });

  it("routes to ui exactly the page's files, the vendored files, its API and the websocket", () => {
    const expected = [
      ...CODE.uiPublic().map((e) => ({ path: `/${e.name}`, pathType: e.dir ? 'Prefix' : 'Exact' })),
      ...[...new Set(CODE.uiVendor().map((f) => path.posix.dirname(f)))].map((dir) => ({ path: dir, pathType: 'Prefix' })),
      ...[...new Set(CODE.uiApi().map((r) => `/${r.split('/')[1]}`))].map((p) => ({ path: p, pathType: 'Prefix' })),
      ...CODE.uiWebsocket().map((p) => ({ path: p, pathType: 'Exact' })),
    ];
    const routed = ingressPaths(objs())
      .filter((p) => p.service === 'aeroalpes-ui')
      .map(({ path: p, pathType }) => ({ path: p, pathType }));
    const byPath = (a: { path: string }, b: { path: string }) => a.path.localeCompare(b.path);
    expect([...routed].sort(byPath)).toEqual([...expected].sort(byPath));
    // And each of those requests does reach ui.
    for (const r of [...CODE.uiVendor(), ...CODE.uiApi().map(concrete), ...CODE.uiWebsocket(), '/', '/app.js', '/js/api.js']) {
      expect({ r, ui: ingressPaths(objs()).some((p) => p.service === 'aeroalpes-ui' && reaches(p, r)) }).toEqual({ r, ui: true });
    }
  });

  it.each(['defaults', 'production'] as ValueSet[])('%s: no path reaches a subscription, dead-letter, Dapr or operator route, nor notificaciones', (name) => {
    const paths = ingressPaths(renderSet(name));
    expect(paths.map((p) => p.service)).not.toContain('aeroalpes-notificaciones');
    for (const forbidden of forbiddenPaths()) {
      expect({ forbidden, routedBy: paths.filter((p) => reaches(p, forbidden)) }).toEqual({ forbidden, routedBy: [] });
    }
  });

  it('the matcher follows networking/v1 (Prefix matches by path element)', () => {
    expect(reaches({ path: '/js', pathType: 'Prefix' }, '/js/api.js')).toBe(true);
    expect(reaches({ path: '/js', pathType: 'Prefix' }, '/json')).toBe(false);
    expect(reaches({ path: '/', pathType: 'Prefix' }, '/dapr/subscribe')).toBe(true);
    expect(reaches({ path: '/', pathType: 'Exact' }, '/dapr/subscribe')).toBe(false);
  });
});
