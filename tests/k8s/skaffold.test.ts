/**
 * skaffold.yaml, offline. Skaffold's published JSON schema cannot be fetched here (its Go module is
 * not served by the module proxy and no package registry ships the schema), so this test holds
 * the part of the skaffold/v4beta14 schema that our file uses: every object closed to unknown
 * keys, with the property names of that schema version. Then it checks what the schema cannot:
 * the Dockerfile, its stages, the chart and values files exist, each artifact names a service (the
 * Dockerfile's SERVICE build argument), the image templates name the built
 * artifacts, the dev profile's patches apply, and the port-forwards hit Services the chart renders.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { cleanupTmp, find, PULSAR_HOST, readYaml, render, REPO } from './support/k8s';

afterAll(() => cleanupTmp());

const API_VERSION = 'skaffold/v4beta14';

const closed = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', additionalProperties: false, properties, required });
const str = { type: 'string' };
const strMap = { type: 'object', additionalProperties: { type: 'string' } };
const any = {};
const keys = (names: string[]) => Object.fromEntries(names.map((n) => [n, any]));

// Property names of skaffold/v4beta14 (SkaffoldConfig, BuildConfig, Artifact, DockerArtifact, ...).
const syncRule = closed({ src: str, dest: str, strip: str }, ['src', 'dest']);
const artifact = closed(
  {
    ...keys(['bazel', 'buildpacks', 'custom', 'hooks', 'jib', 'kaniko', 'ko', 'platforms', 'requires', 'runtimeType']),
    image: str,
    context: str,
    docker: closed({
      ...keys(['addHost', 'cacheFrom', 'cliFlags', 'network', 'noCache', 'pullParent', 'secrets', 'squash', 'ssh']),
      dockerfile: str,
      target: str,
      buildArgs: strMap,
    }),
    sync: closed({ auto: { type: 'boolean' }, hooks: any, infer: { type: 'array', items: str }, manual: { type: 'array', items: syncRule } }),
  },
  ['image'],
);
const build = closed({
  ...keys(['cluster', 'googleCloudBuild', 'hooks', 'insecureRegistries', 'platforms']),
  artifacts: { type: 'array', items: artifact, minItems: 1 },
  local: closed({
    concurrency: { type: 'integer', minimum: 0 },
    push: { type: 'boolean' },
    tryImportMissing: { type: 'boolean' },
    useBuildkit: { type: 'boolean' },
    useDockerCLI: { type: 'boolean' },
  }),
  tagPolicy: closed({ ...keys(['customTemplate', 'dateTime', 'envTemplate', 'gitCommit', 'sha256']), inputDigest: closed({}) }),
});
const helmRelease = closed(
  {
    ...keys([
      'dependsOn',
      'overrides',
      'packaged',
      'recreatePods',
      'remoteChart',
      'repo',
      'setFiles',
      'skipBuildDependencies',
      'skipTests',
      'upgradeOnChange',
      'useHelmSecrets',
      'version',
    ]),
    name: str,
    chartPath: str,
    namespace: str,
    createNamespace: { type: 'boolean' },
    wait: { type: 'boolean' },
    valuesFiles: { type: 'array', items: str },
    setValues: strMap,
    setValueTemplates: strMap,
  },
  ['name'],
);
const deploy = closed({
  ...keys(['cloudrun', 'docker', 'kpt', 'kubeContext', 'kubectl', 'logs', 'statusCheck', 'tolerateFailuresUntilDeadline']),
  statusCheckDeadlineSeconds: { type: 'integer', minimum: 1 },
  helm: closed({ ...keys(['concurrency', 'flags', 'hooks']), releases: { type: 'array', items: helmRelease, minItems: 1 } }),
});
const portForward = {
  type: 'array',
  items: closed({ address: str, localPort: { type: 'integer' }, namespace: str, port: { type: ['integer', 'string'] }, resourceName: str, resourceType: str }, [
    'resourceType',
    'resourceName',
    'port',
  ]),
};
const patch = closed({ op: { enum: ['add', 'remove', 'replace', 'move', 'copy', 'test'] }, path: { type: 'string', pattern: '^/' }, from: str, value: any }, ['path']);
const schema = closed(
  {
    ...keys(['customActions', 'manifests', 'requires', 'resourceSelector', 'test', 'verify']),
    apiVersion: { const: API_VERSION },
    kind: { const: 'Config' },
    metadata: closed({ name: str, labels: strMap, annotations: strMap }),
    build,
    deploy,
    portForward,
    profiles: {
      type: 'array',
      items: closed(
        {
          ...keys(['customActions', 'manifests', 'requiresAllActivations', 'resourceSelector', 'test', 'verify']),
          name: str,
          activation: { type: 'array', items: closed({ command: str, env: str, kubeContext: str }) },
          build,
          deploy,
          portForward,
          patches: { type: 'array', items: patch },
        },
        ['name'],
      ),
    },
  },
  ['apiVersion', 'kind'],
);

type Json = any;
const config: Json = readYaml(path.join(REPO, 'skaffold.yaml'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

/** Applies RFC 6902 add/replace/remove (what our profiles use) to a copy of the document. */
function applyPatches(doc: Json, patches: { op?: string; path: string; value?: unknown }[]): Json {
  const out = structuredClone(doc);
  for (const p of patches) {
    const parts = p.path
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop()!;
    let node = out;
    for (const part of parts) {
      if (node[part] === undefined) throw new Error(`patch ${p.path}: '${part}' does not exist`);
      node = node[part];
    }
    const op = p.op ?? 'replace';
    if (op === 'add' || op === 'replace') {
      if (op === 'replace' && node[last] === undefined) throw new Error(`patch ${p.path}: nothing to replace`);
      if (Array.isArray(node) && last === '-') node.push(p.value);
      else node[last] = structuredClone(p.value);
    } else if (op === 'remove') {
      if (node[last] === undefined) throw new Error(`patch ${p.path}: nothing to remove`);
      if (Array.isArray(node)) node.splice(Number(last), 1);
      else delete node[last];
    } else throw new Error(`patch op ${op} not supported by this test`);
  }
  return out;
}

interface Artifact {
  image: string;
  context: string;
  docker: { dockerfile: string; buildArgs?: Record<string, string>; target?: string };
}
/** The service an artifact builds: the Dockerfile's SERVICE build argument. */
const servicio = (a: Artifact): string => {
  const svc = a.docker.buildArgs?.SERVICE;
  if (!svc) throw new Error(`artifact ${a.image}: no docker.buildArgs.SERVICE`);
  return svc;
};

/** Skaffold's template key for an image: '.', '-', '/' and ':' become '_'. */
const templateName = (image: string) => image.replace(/[.\-/:]/g, '_');

function dockerStages(dockerfile: string): string[] {
  return [...fs.readFileSync(path.join(REPO, dockerfile), 'utf8').matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1]!);
}

describe('skaffold.yaml', () => {
  it(`follows the ${API_VERSION} structure (unknown keys rejected)`, () => {
    const ok = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the structural check rejects a misspelt key (it is not a no-op)', () => {
    const broken = structuredClone(config);
    broken.deploy.helm.releases[0].valueFiles = broken.deploy.helm.releases[0].valuesFiles;
    expect(validate(broken)).toBe(false);
  });

  it('builds the three images from the repository root with the one Dockerfile, one SERVICE each', () => {
    const artifacts = config.build.artifacts as Artifact[];
    expect(artifacts.map(servicio).sort()).toEqual(['aeroalpes', 'notificaciones', 'ui']);
    for (const a of artifacts) {
      expect(a.context).toBe('.');
      expect(a.docker.dockerfile).toBe('Dockerfile');
      expect(fs.existsSync(path.join(REPO, a.docker.dockerfile))).toBe(true);
      expect(fs.existsSync(path.join(REPO, 'services', servicio(a), 'package.json'))).toBe(true);
    }
  });

  it('deploys the chart with the tags and digests it built', () => {
    const release = config.deploy.helm.releases[0];
    expect(fs.existsSync(path.join(REPO, release.chartPath, 'Chart.yaml'))).toBe(true);
    for (const f of release.valuesFiles) expect(fs.existsSync(path.join(REPO, f))).toBe(true);
    const values: Json = readYaml(path.join(REPO, release.chartPath, 'values.yaml'));
    const templates = release.setValueTemplates as Record<string, string>;
    for (const a of config.build.artifacts as Artifact[]) {
      const svc = servicio(a);
      const n = templateName(a.image);
      expect(templates[`services.${svc}.image.repository`]).toBe(`{{.IMAGE_REPO_${n}}}`);
      expect(templates[`services.${svc}.image.tag`]).toBe(`{{.IMAGE_TAG_${n}}}`);
      expect(templates[`services.${svc}.image.digest`]).toBe(`{{.IMAGE_DIGEST_${n}}}`);
      // The keys exist in the chart's values (a typo would be silently ignored by Helm).
      for (const k of ['repository', 'tag', 'digest']) expect(values.services[svc].image).toHaveProperty(k);
    }
  });

  describe('dev profile', () => {
    const dev = (config.profiles as Json[]).find((p) => p.name === 'dev');
    const patched = () => applyPatches(config, dev.patches);

    it('exists, activates on `skaffold dev`, and its patches apply to a valid configuration', () => {
      expect(dev).toBeDefined();
      expect(dev.activation).toContainEqual({ command: 'dev' });
      const result = patched();
      delete result.profiles;
      expect(validate(result) ? [] : validate.errors).toEqual([]);
    });

    it("builds each image to the Dockerfile's dev stage and syncs TypeScript sources that exist", () => {
      for (const a of patched().build.artifacts as Json[]) {
        expect(a.docker.target).toBe('dev');
        expect(dockerStages(a.docker.dockerfile)).toContain('dev');
        const rules = a.sync.manual as { src: string; dest: string }[];
        // The artifact's own service sources (the image's dev stage watches that service).
        expect(rules.map((r) => r.src)).toContain(`services/${servicio(a)}/src/**/*.ts`);
        for (const r of rules) {
          expect(r.dest).toBe('.');
          // The folder before the first wildcard exists (services/<svc>/src, packages).
          const fixed = r.src.split('*')[0]!.replace(/\/$/, '');
          expect({ src: r.src, exists: fs.existsSync(path.join(REPO, fixed)) || fixed.startsWith('services/ui/public') }).toEqual({ src: r.src, exists: true });
        }
      }
    });

    it('port-forwards the REST API and the UI to Services the chart renders', () => {
      const release = config.deploy.helm.releases[0];
      const objects = render({ valuesFiles: release.valuesFiles, set: { 'dapr.pubsub.pulsar.host': PULSAR_HOST }, setTyped: patched().deploy.helm.releases[0].setValues ?? {} });
      const forwards = dev.portForward as { resourceType: string; resourceName: string; namespace: string; port: number; localPort: number }[];
      expect(forwards.map((f) => f.port).sort()).toEqual([5000, 5678]);
      for (const f of forwards) {
        expect(f.resourceType).toBe('service');
        expect(f.namespace).toBe(release.namespace);
        const svc = find(objects, 'Service', f.resourceName);
        expect(svc.spec.ports.map((p: { port: number }) => p.port)).toContain(f.port);
      }
    });
  });
});
