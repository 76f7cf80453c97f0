/**
 * Shared by the offline Kubernetes tests: runs the provisioned Helm and kubernetes-validate,
 * parses rendered manifests, and validates Dapr resources against the CRD schemas of the pinned
 * Dapr release. Nothing here talks to a cluster or the network.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { daprCrdDir, helmBinary, K8S_TOOLS_HINT, kubernetesValidateCommand } from '../../../tools/platform/src/k8s-tools';
import { KUBE_VERSION } from '../../../tools/platform/src/versions';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const CHART = path.join(REPO, 'charts', 'aeroalpes');
export const RELEASE = 'aeroalpes';
export const NAMESPACE = 'aeroalpes';
/** A Pulsar host for renders that only need the required value to be present. */
export const PULSAR_HOST = 'pulsar://pulsar-broker.pulsar.svc.cluster.local:6650';

export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; [k: string]: any }; [k: string]: any };

/** The chart's services, which are also their Dapr app ids. */
export const SERVICES = ['aeroalpes', 'notificaciones', 'ui'] as const;
export type Servicio = (typeof SERVICES)[number];

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function requireFile(file: string, what: string): string {
  if (!fs.existsSync(file)) throw new Error(`${what} not found at ${file}; provision it with: ${K8S_TOOLS_HINT}`);
  return file;
}

export function helm(args: string[]): Run {
  const bin = requireFile(helmBinary(), 'helm');
  const r = spawnSync(bin, args, {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, HELM_CACHE_HOME: tmp('helm-cache'), HELM_CONFIG_HOME: tmp('helm-config'), HELM_DATA_HOME: tmp('helm-data') },
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let tmpRoot: string | undefined;
/** A folder for this test file's scratch files (Helm's home folders, manifests to validate). */
export function tmp(name: string): string {
  tmpRoot ??= fs.mkdtempSync(path.join(os.tmpdir(), 'aeroalpes-k8s-'));
  const dir = path.join(tmpRoot, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export function cleanupTmp(): void {
  if (tmpRoot) fs.rmSync(tmpRoot, { recursive: true, force: true });
  tmpRoot = undefined;
}

export interface RenderOptions {
  valuesFiles?: string[];
  /** --set-string: values kept as strings. */
  set?: Record<string, string>;
  /** --set: Helm infers the type (true/false/numbers), as Skaffold's setValues do. */
  setTyped?: Record<string, string>;
  /** Values given as a YAML document (written to a scratch file and passed with -f). */
  values?: string;
}

function renderArgs(opts: RenderOptions): string[] {
  const args = ['--namespace', NAMESPACE, '--kube-version', KUBE_VERSION];
  for (const f of opts.valuesFiles ?? []) args.push('-f', path.isAbsolute(f) ? f : path.join(REPO, f));
  if (opts.values !== undefined) {
    const file = path.join(tmp('values'), `v${Math.random().toString(36).slice(2)}.yaml`);
    fs.writeFileSync(file, opts.values);
    args.push('-f', file);
  }
  for (const [k, v] of Object.entries(opts.set ?? {})) args.push('--set-string', `${k}=${v}`);
  for (const [k, v] of Object.entries(opts.setTyped ?? {})) args.push('--set', `${k}=${v}`);
  return args;
}

/** `helm template`, returning the run (for tests that expect a failure). */
export function template(opts: RenderOptions = {}): Run {
  return helm(['template', RELEASE, CHART, ...renderArgs(opts)]);
}

/** `helm lint --strict` with the same value options. */
export function lint(opts: RenderOptions = {}): Run {
  return helm(['lint', CHART, '--strict', ...renderArgs(opts)]);
}

/**
 * The value sets the chart tests render: the defaults (plus the required Pulsar host), the
 * production-like values and the Skaffold dev values.
 */
export const VALUE_SETS = {
  defaults: { set: { 'dapr.pubsub.pulsar.host': PULSAR_HOST } },
  production: { valuesFiles: ['charts/aeroalpes/ci/production-values.yaml'] },
  dev: { valuesFiles: ['charts/aeroalpes/ci/dev-values.yaml'] },
} satisfies Record<string, RenderOptions>;
export type ValueSet = keyof typeof VALUE_SETS;
export const VALUE_SET_NAMES = Object.keys(VALUE_SETS) as ValueSet[];

const renderedSets = new Map<ValueSet, K8sObject[]>();
/** The chart rendered with one of VALUE_SETS, once per test file. */
export function renderSet(name: ValueSet): K8sObject[] {
  let objects = renderedSets.get(name);
  if (!objects) {
    objects = render(VALUE_SETS[name]);
    renderedSets.set(name, objects);
  }
  return objects;
}

/** Renders the chart and parses every document; throws with Helm's message if rendering fails. */
export function render(opts: RenderOptions = {}): K8sObject[] {
  const r = template(opts);
  if (r.status !== 0) throw new Error(`helm template failed (exit ${r.status}):\n${r.stderr}`);
  return parseManifests(r.stdout);
}

export function parseManifests(text: string): K8sObject[] {
  const docs = parseAllDocuments(text);
  const out: K8sObject[] = [];
  for (const doc of docs) {
    if (doc.errors.length) throw new Error(`invalid YAML in rendered manifests: ${doc.errors[0]!.message}`);
    const obj = doc.toJS() as K8sObject | null;
    if (obj !== null && obj !== undefined) out.push(obj);
  }
  return out;
}

export function readYaml<T = unknown>(file: string): T {
  return parseYaml(fs.readFileSync(file, 'utf8')) as T;
}

export const isDapr = (o: K8sObject): boolean => o.apiVersion.startsWith('dapr.io/');

export function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name} among: ${objects.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return o;
}

export interface KubeValidation {
  status: number | null;
  passed: string[];
  errors: string[];
  warnings: string[];
  output: string;
}

/**
 * Validates built-in objects with kubernetes-validate (strict: unknown fields are errors) against
 * the bundled schemas of KUBE_VERSION. Returns the "kind/name" of every object it passed.
 */
export function kubeValidate(objects: K8sObject[]): KubeValidation {
  const { command, args } = kubernetesValidateCommand();
  requireFile(command, 'kubernetes-validate');
  const file = path.join(tmp('validate'), `objects-${Math.random().toString(36).slice(2)}.json`);
  // One JSON document per line is valid multi-document YAML and avoids any YAML re-serialisation.
  fs.writeFileSync(file, objects.map((o) => `---\n${JSON.stringify(o)}\n`).join(''));
  const r = spawnSync(command, [...args, '--kubernetes-version', KUBE_VERSION, '--strict', file], { encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  const lines = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.trim() !== '');
  const passed = lines.map((l) => /passed for resource (\S+) against version/.exec(l)?.[1]).filter((x): x is string => !!x);
  return {
    status: r.status,
    passed,
    errors: lines.filter((l) => l.startsWith('ERROR') || l.startsWith('Traceback')),
    warnings: lines.filter((l) => l.startsWith('WARN')),
    output: lines.join('\n'),
  };
}

// ---------------------------------------------------------------------------------------------
// Dapr CRD schemas -> JSON Schema (Ajv)

type Schema = Record<string, any>;

/**
 * Converts a CRD's OpenAPI v3 schema into JSON Schema. Strict like the API server's field
 * validation (and stricter than its silent pruning): an object schema with `properties` and no
 * `additionalProperties` or `x-kubernetes-preserve-unknown-fields` rejects unknown fields, so a
 * misspelt or unsupported field (which a cluster would silently drop) fails the test.
 */
export function openApiToJsonSchema(node: Schema): Schema {
  if (node['x-kubernetes-int-or-string']) return { anyOf: [{ type: 'integer' }, { type: 'string' }] };
  const out: Schema = {};
  for (const key of [
    'type',
    'enum',
    'required',
    'pattern',
    'minimum',
    'maximum',
    'exclusiveMinimum',
    'exclusiveMaximum',
    'minLength',
    'maxLength',
    'minItems',
    'maxItems',
    'uniqueItems',
    'minProperties',
    'maxProperties',
    'multipleOf',
  ]) {
    if (key in node) out[key] = node[key];
  }
  if (node.nullable && typeof node.type === 'string') out.type = [node.type, 'null'];
  if (node.properties) {
    out.properties = Object.fromEntries(Object.entries(node.properties as Record<string, Schema>).map(([k, v]) => [k, openApiToJsonSchema(v)]));
  }
  if (node.items) out.items = openApiToJsonSchema(node.items);
  for (const key of ['anyOf', 'oneOf', 'allOf']) if (node[key]) out[key] = (node[key] as Schema[]).map(openApiToJsonSchema);
  if (node.not) out.not = openApiToJsonSchema(node.not);
  if (typeof node.additionalProperties === 'object') out.additionalProperties = openApiToJsonSchema(node.additionalProperties);
  else if (typeof node.additionalProperties === 'boolean') out.additionalProperties = node.additionalProperties;
  else if (node.properties && !node['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false;
  return out;
}

export interface DaprSchemas {
  /** "dapr.io/v1alpha1/Component" -> validator */
  validators: Map<string, ValidateFunction>;
  dir: string;
}

let daprSchemas: DaprSchemas | undefined;

/** Loads every CRD of the pinned Dapr release, one validator per served kind/version. */
export function loadDaprSchemas(): DaprSchemas {
  if (daprSchemas) return daprSchemas;
  const dir = daprCrdDir();
  requireFile(path.join(dir, 'components.yaml'), `Dapr CRDs`);
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validators = new Map<string, ValidateFunction>();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'))) {
      const crd = doc.toJS() as Schema | null;
      if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
      for (const version of crd.spec.versions as Schema[]) {
        if (!version.served) continue;
        const schema = openApiToJsonSchema(version.schema.openAPIV3Schema);
        validators.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, ajv.compile(schema));
      }
    }
  }
  daprSchemas = { validators, dir };
  return daprSchemas;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Validates one Dapr resource; returns readable errors (empty when valid). */
export function validateDapr(obj: K8sObject): string[] {
  const { validators, dir } = loadDaprSchemas();
  const key = `${obj.apiVersion}/${obj.kind}`;
  const validate = validators.get(key);
  if (!validate) return [`${obj.kind}/${obj.metadata?.name}: no CRD in ${dir} serves ${key} (known: ${[...validators.keys()].join(', ')})`];
  const errors: string[] = [];
  const valid = validate(obj as unknown);
  if (!valid) {
    for (const e of validate.errors ?? []) {
      const extra = e.keyword === 'additionalProperties' ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'` : '';
      errors.push(`${obj.kind}/${obj.metadata?.name}: ${e.instancePath || '/'} ${e.message}${extra}`);
    }
  }
  // The CRDs leave metadata open; the API server still requires a valid name.
  if (typeof obj.metadata?.name !== 'string' || obj.metadata.name.length > 253 || !DNS1123_SUBDOMAIN.test(obj.metadata.name)) {
    errors.push(`${obj.kind}: metadata.name '${obj.metadata?.name}' is not a DNS-1123 subdomain`);
  }
  return errors;
}

/** Every document of a YAML file (local Dapr resources in components/). */
export function readManifests(file: string): K8sObject[] {
  return parseManifests(fs.readFileSync(file, 'utf8'));
}
