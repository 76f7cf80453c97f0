import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { CLI_SENTRY_PORT, readRunFile, renderRunFile, RUN_FILE } from './dapr-cli';
import { freePortPlan, localPortPlan, SERVICES } from './stack';

/** The committed dapr.yaml with `~` as the Dapr CLI resolves it (utils.ResolveHomeDir). */
const enCasa = (p: string) => p.replace(/^~(?=\/)/, os.homedir());

describe('dapr.yaml as committed', () => {
  const doc = readRunFile();

  test("holds npm start's ports, so `dapr run -f .` serves the same URLs", () => {
    for (const app of doc.apps) {
      const p = localPortPlan().services[app.appID as (typeof SERVICES)[number]][0]!;
      expect({ app: app.appID, appPort: app.appPort, daprHTTPPort: app.daprHTTPPort, metricsPort: app.metricsPort, PORT: app.env.PORT }).toEqual({
        app: app.appID,
        appPort: p.grpc ?? p.http,
        daprHTTPPort: p.daprHttp,
        metricsPort: p.metrics,
        PORT: String(p.http),
      });
    }
    expect(doc.apps[0]!.env.GRPC_PORT).toBe(String(localPortPlan().services.aeroalpes[0]!.grpc));
  });

  test("points at the launcher's renderings in the default cache and at its daprd layout, never at components/", () => {
    const cache = path.join(os.homedir(), '.cache', 'aeroalpes');
    expect(enCasa(doc.common.runtimePath)).toBe(path.join(cache, 'dapr-cli-runtime'));
    expect(enCasa(doc.common.configFilePath)).toBe(path.join(cache, 'run', 'local', 'config.yaml'));
    for (const app of doc.apps) expect(enCasa(app.resourcesPath)).toBe(path.join(cache, 'run', 'local', 'components', app.appID));
  });

  test("leaves each daprd gRPC port to the CLI (50001 is the CLI's Sentry) and keeps every API on loopback, without placement or scheduler", () => {
    expect(doc.apps.map((a) => a.daprGRPCPort)).toEqual([undefined, undefined, undefined]);
    expect(doc.common).toMatchObject({ apiListenAddresses: '127.0.0.1', placementHostAddress: '', schedulerHostAddress: '' });
    expect(doc.common.env.HOST).toBe('127.0.0.1');
  });

  test('components/config.yaml enables mTLS: the CLI passes --enable-mtls only when it reads that flag', () => {
    const config = parse(fs.readFileSync(path.join(path.dirname(RUN_FILE), 'components', 'config.yaml'), 'utf8'));
    expect(config.spec.mtls).toMatchObject({ enabled: true, sentryAddress: `localhost:${CLI_SENTRY_PORT}` });
  });
});

describe('renderRunFile', () => {
  let runDir: string;
  beforeEach(() => {
    runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dapr-cli-'));
  });
  afterEach(() => fs.rmSync(runDir, { recursive: true, force: true }));

  test("writes one run's ports, folders, database and runtime path; the rest stays dapr.yaml's", async () => {
    const ports = await freePortPlan();
    const file = renderRunFile({ runDir, ports, daprCliRuntime: '/rt', mongoUri: 'mongodb://127.0.0.1:1/', mongoDb: 'x_test', env: { LOG_LEVEL: 'warn' } });
    expect(file).toBe(path.join(runDir, 'dapr.yaml'));
    const hecho = parse(fs.readFileSync(file, 'utf8'));
    const original = readRunFile();
    expect(hecho.common).toEqual({
      ...original.common,
      runtimePath: '/rt',
      configFilePath: path.join(runDir, 'config.yaml'),
      appLogDestination: 'console',
      daprdLogDestination: 'console',
      env: { ...original.common.env, MONGODB_URI: 'mongodb://127.0.0.1:1/', MONGODB_DB: 'x_test', LOG_LEVEL: 'warn' },
    });
    const a = ports.services.aeroalpes[0]!;
    expect(hecho.apps[0]).toEqual({
      ...original.apps[0],
      appDirPath: path.join(path.dirname(RUN_FILE), 'services', 'aeroalpes'),
      resourcesPath: path.join(runDir, 'components', 'aeroalpes'),
      appPort: a.grpc,
      daprHTTPPort: a.daprHttp,
      metricsPort: a.metrics,
      env: { PORT: String(a.http), GRPC_PORT: String(a.grpc) },
    });
    const u = ports.services.ui[0]!;
    expect(hecho.apps[2]).toMatchObject({ appPort: u.http, daprHTTPPort: u.daprHttp, env: { PORT: String(u.http) } });
    expect(hecho.apps[2].env.GRPC_PORT).toBeUndefined();
  });

  test('refuses a port plan without ports for every app', () => {
    const sinUi = localPortPlan({ aeroalpes: 1, notificaciones: 1, ui: 0 });
    expect(() => renderRunFile({ runDir, ports: sinUi, daprCliRuntime: '/rt', mongoUri: 'mongodb://127.0.0.1:1/', mongoDb: 'x_test' })).toThrow(
      'the port plan has no ports for ui',
    );
    expect(fs.existsSync(path.join(runDir, 'dapr.yaml'))).toBe(false);
  });

  test('refuses a run file whose apps are not the three services, or that gives a daprd the Sentry port', () => {
    const malo = path.join(runDir, 'malo.yaml');
    const texto = fs.readFileSync(RUN_FILE, 'utf8');
    fs.writeFileSync(malo, texto.replace('appID: ui', 'appID: web'));
    expect(() => readRunFile(malo)).toThrow('apps must be aeroalpes, notificaciones, ui in that order, not aeroalpes, notificaciones, web');
    fs.writeFileSync(malo, texto.replace('daprHTTPPort: 3500', `daprHTTPPort: 3500\n    daprGRPCPort: ${CLI_SENTRY_PORT}`));
    expect(() => readRunFile(malo)).toThrow(`app aeroalpes takes daprGRPCPort ${CLI_SENTRY_PORT}, the Dapr CLI's Sentry port`);
  });
});
