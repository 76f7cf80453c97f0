/**
 * The Dapr CLI's run file, dapr.yaml (`dapr run -f .`): what it must point at, and its rendering
 * with the ports and folders of one run of the platform (the tests run on free ports, beside a
 * developer's `npm start`). The file in the repository holds `npm start`'s values; the structure
 * (apps, commands, protocols, shared settings) is only ever that file's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { REPO_ROOT } from './cache';
import { CLI_SENTRY_PORT, PortPlan, SERVICES } from './stack';

export { CLI_SENTRY_PORT };

export const RUN_FILE = path.join(REPO_ROOT, 'dapr.yaml');

/** The run-file fields this project uses (dapr/cli pkg/runfileconfig and standalone.RunConfig). */
interface RunFileApp {
  appID: string;
  appDirPath: string;
  resourcesPath: string;
  appPort: number;
  daprHTTPPort: number;
  daprGRPCPort?: number;
  metricsPort: number;
  env: Record<string, string>;
  [other: string]: unknown;
}

interface RunFile {
  version: number;
  common: { runtimePath: string; configFilePath: string; env: Record<string, string>; [other: string]: unknown };
  apps: RunFileApp[];
}

export interface RunFileValues {
  /** The run folder whose rendered components/<app>/ and config.yaml the sidecars load. */
  runDir: string;
  ports: PortPlan;
  /** The Dapr CLI's runtime path (Binaries.daprCliRuntime). */
  daprCliRuntime: string;
  mongoUri: string;
  mongoDb: string;
  /** More environment for every app (e.g. LOG_LEVEL). */
  env?: Record<string, string>;
}

/** dapr.yaml as committed, checked against what the rendering relies on. */
export function readRunFile(file = RUN_FILE): RunFile {
  const doc = parse(fs.readFileSync(file, 'utf8')) as RunFile;
  const ids = (doc.apps ?? []).map((a) => a.appID);
  if (ids.join() !== SERVICES.join()) throw new Error(`${file}: apps must be ${SERVICES.join(', ')} in that order, not ${ids.join(', ') || 'none'}`);
  if (typeof doc.common?.runtimePath !== 'string' || typeof doc.common.configFilePath !== 'string' || !doc.common.env) {
    throw new Error(`${file}: common needs runtimePath, configFilePath and env`);
  }
  for (const app of doc.apps) {
    if (typeof app.resourcesPath !== 'string' || !app.env) throw new Error(`${file}: app ${app.appID} needs resourcesPath and env`);
    if (app.daprGRPCPort === CLI_SENTRY_PORT) throw new Error(`${file}: app ${app.appID} takes daprGRPCPort ${CLI_SENTRY_PORT}, the Dapr CLI's Sentry port`);
  }
  return doc;
}

/**
 * The committed dapr.yaml with one run's values: its folders (absolute paths, since the rendering
 * lives in the run folder), ports, database and runtime path. Both logs go to the CLI's own output,
 * so a run leaves nothing in services/<app>/.dapr/logs. Written to `<runDir>/dapr.yaml`.
 */
export function renderRunFile(values: RunFileValues): string {
  const doc = readRunFile();
  doc.common.runtimePath = values.daprCliRuntime;
  doc.common.configFilePath = path.join(values.runDir, 'config.yaml');
  doc.common.appLogDestination = 'console';
  doc.common.daprdLogDestination = 'console';
  doc.common.env = { ...doc.common.env, MONGODB_URI: values.mongoUri, MONGODB_DB: values.mongoDb, ...values.env };
  for (const app of doc.apps) {
    // One instance of each app: the ports of the plan's first replica.
    const p = values.ports.services[app.appID as (typeof SERVICES)[number]][0];
    if (!p) throw new Error(`the port plan has no ports for ${app.appID}: plan one replica of each app for dapr.yaml`);
    app.appDirPath = path.resolve(REPO_ROOT, app.appDirPath);
    app.resourcesPath = path.join(values.runDir, 'components', app.appID);
    app.appPort = p.grpc ?? p.http;
    app.daprHTTPPort = p.daprHttp;
    app.metricsPort = p.metrics;
    app.env = { ...app.env, PORT: String(p.http), ...(p.grpc ? { GRPC_PORT: String(p.grpc) } : {}) };
  }
  const file = path.join(values.runDir, 'dapr.yaml');
  fs.writeFileSync(file, stringify(doc, { lineWidth: 0 }));
  return file;
}
