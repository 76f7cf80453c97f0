/**
 * The service images, checked without a Docker engine: a small Dockerfile parser resolves the one
 * Dockerfile (repository root) for each service as `docker build --build-arg SERVICE=<svc>` would
 * (build arguments expanded, the runtime stage followed back through the stages it starts from)
 * and asserts each image is multi-stage, pinned, compiles TypeScript in its build stage, ships
 * production dependencies only, runs as a non-root user with NODE_ENV=production and no
 * HEALTHCHECK; and the .dockerignore keeps the build context small without dropping anything the
 * Dockerfile copies.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO } from './support/k8s';

const SERVICES = { aeroalpes: [5000, 50051], notificaciones: [5001], ui: [5678] } as const;

interface Instruction {
  op: string;
  args: string;
  line: number;
}
interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}
interface Dockerfile {
  globalArgs: Map<string, string>;
  stages: Stage[];
}

/** Parses a Dockerfile: comments, line continuations, global ARGs, stages. */
function parseDockerfile(text: string): Dockerfile {
  const instructions: Instruction[] = [];
  let buffer = '';
  let start = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (buffer === '' && /^\s*(#|$)/.test(line)) return;
    if (buffer !== '' && /^\s*#/.test(line)) return; // comments inside a continued instruction
    if (buffer === '') start = i + 1;
    if (/\\\s*$/.test(line)) {
      buffer += line.replace(/\\\s*$/, ' ');
      return;
    }
    buffer += line;
    const m = /^\s*([A-Za-z]+)\s+([\s\S]*)$/.exec(buffer);
    if (!m) throw new Error(`line ${start}: cannot parse '${buffer}'`);
    instructions.push({ op: m[1]!.toUpperCase(), args: m[2]!.trim().replace(/\s+/g, ' '), line: start });
    buffer = '';
  });
  const globalArgs = new Map<string, string>();
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.op === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      if (!m) throw new Error(`line ${ins.line}: bad FROM '${ins.args}'`);
      stages.push({ name: m[2] ?? String(stages.length), from: m[1]!, instructions: [] });
    } else if (stages.length === 0) {
      if (ins.op !== 'ARG') throw new Error(`line ${ins.line}: ${ins.op} before the first FROM`);
      const [k, v = ''] = ins.args.split('=');
      globalArgs.set(k!, v);
    } else {
      stages.at(-1)!.instructions.push(ins);
    }
  }
  return { globalArgs, stages };
}

const DOCKERFILE = 'Dockerfile';
const parsed = () => parseDockerfile(fs.readFileSync(path.join(REPO, DOCKERFILE), 'utf8'));

/** `${NAME}` and `$NAME` replaced from `vars`; an unset variable is empty, as in Docker. */
const expand = (text: string, vars: Map<string, string>) => text.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a?: string, b?: string) => vars.get((a ?? b)!) ?? '');

/**
 * The Dockerfile as a build with these build arguments sees it: FROM expanded with the global
 * ARGs; in each stage, the ARGs it declares and its ENVs expanded into later COPY, RUN, ENV,
 * EXPOSE, USER and WORKDIR (a stage that forgets `ARG SERVICE` gets an empty value, like Docker).
 * CMD and ENTRYPOINT are left as written: Docker does not expand them.
 */
function resolve(df: Dockerfile, buildArgs: Record<string, string>): Dockerfile {
  const globals = new Map([...df.globalArgs].map(([k, v]) => [k, buildArgs[k] ?? v]));
  const stages = df.stages.map((s) => {
    const scope = new Map<string, string>();
    const instructions = s.instructions.map((ins) => {
      if (ins.op === 'ARG') {
        const [k, v] = ins.args.split('=') as [string, string | undefined];
        scope.set(k, buildArgs[k] ?? v ?? globals.get(k) ?? '');
        return ins;
      }
      if (['CMD', 'ENTRYPOINT'].includes(ins.op)) return ins;
      const args = expand(ins.args, scope);
      if (ins.op === 'ENV') for (const m of args.matchAll(/(\w+)=(\S*)/g)) scope.set(m[1]!, m[2]!);
      return { ...ins, args };
    });
    return { ...s, from: s.from === '${NODE_IMAGE}' ? s.from : expand(s.from, globals), instructions };
  });
  return { globalArgs: globals, stages };
}

/** The stages of one service's image: the last stage and those it starts from, base first. */
function imageChain(df: Dockerfile): Stage[] {
  const chain = [df.stages.at(-1)!];
  for (let s = chain[0]!; df.stages.some((x) => x.name === s.from);) chain.unshift((s = df.stages.find((x) => x.name === s.from)!));
  return chain;
}

const ops = (s: Stage, op: string) => s.instructions.filter((i) => i.op === op);
const runs = (s: Stage) =>
  ops(s, 'RUN')
    .map((i) => i.args)
    .join('\n');
/** COPY sources from the build context (not --from another stage). */
const contextSources = (s: Stage) =>
  ops(s, 'COPY')
    .filter((i) => !/--from=/.test(i.args))
    .flatMap((i) => {
      const parts = i.args.split(' ').filter((p) => !p.startsWith('--'));
      return parts.slice(0, -1);
    });

/** The workspaces of the root package.json, expanded (packages/*, services/*, tools/platform). */
function workspaceManifests(): string[] {
  const globs: string[] = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).workspaces;
  return globs
    .flatMap((g) => (g.endsWith('/*') ? fs.readdirSync(path.join(REPO, g.slice(0, -2))).map((d) => `${g.slice(0, -2)}/${d}`) : [g]))
    .filter((d) => fs.existsSync(path.join(REPO, d, 'package.json')))
    .map((d) => `${d}/package.json`)
    .sort();
}

it('the services are the folders of services/ (one image each)', () => {
  expect(Object.keys(SERVICES).sort()).toEqual(
    fs
      .readdirSync(path.join(REPO, 'services'))
      .filter((d) => fs.existsSync(path.join(REPO, 'services', d, 'package.json')))
      .sort(),
  );
});

describe.each(Object.keys(SERVICES) as (keyof typeof SERVICES)[])(`${DOCKERFILE} --build-arg SERVICE=%s`, (svc) => {
  const df = resolve(parsed(), { SERVICE: svc });
  const stage = (name: string) => {
    const s = df.stages.find((x) => x.name === name);
    if (!s) throw new Error(`no stage '${name}' (stages: ${df.stages.map((x) => x.name).join(', ')})`);
    return s;
  };
  // The runtime image: the instructions of the last stage and of the stages it starts from.
  const chain = imageChain(df);
  const runtime = (): Stage => ({ name: chain.at(-1)!.name, from: chain[0]!.from, instructions: chain.flatMap((s) => s.instructions) });

  it('pins its base image to a full Node version (no floating or latest tag)', () => {
    const base = df.globalArgs.get('NODE_IMAGE');
    expect(base).toMatch(/^node:\d+\.\d+\.\d+-(bookworm-slim|bookworm|alpine3\.\d+)(@sha256:[a-f0-9]{64})?$/);
    const stageNames = new Set<string>();
    for (const s of df.stages) {
      // Every stage starts from the pinned base or an earlier stage.
      expect([...stageNames, '${NODE_IMAGE}']).toContain(s.from);
      stageNames.add(s.name);
    }
  });

  it('is multi-stage: build compiles the TypeScript, the runtime stage is last and starts from the base', () => {
    expect(df.stages.length).toBeGreaterThanOrEqual(3);
    expect(runs(stage('build'))).toMatch(/\bnpm ci\b/);
    expect(runs(stage('build'))).toContain(`tsc -b services/${svc}`);
    expect(contextSources(stage('build'))).toContain(`services/${svc}/`);
    expect(runtime().name).toBe('runtime');
    expect(chain.map((s) => s.name)).toContain(svc);
    expect(runtime().from).toBe('${NODE_IMAGE}');
    expect(ops(runtime(), 'RUN')).toEqual([]);
  });

  it('installs production dependencies only for the runtime (npm ci --omit=dev, this workspace)', () => {
    const deps = runs(stage('deps'));
    expect(deps).toMatch(/npm ci\b.*--omit=dev/);
    expect(deps).toContain(`--workspace services/${svc} `);
    expect(deps).toContain('--include-workspace-root=false');
    const modules = ops(runtime(), 'COPY').filter((i) => /node_modules/.test(i.args));
    expect(modules.map((i) => /--from=(\S+)/.exec(i.args)?.[1])).toEqual(['deps']);
    // Nothing from the build stage's node_modules (dev dependencies) reaches the runtime.
    for (const c of ops(runtime(), 'COPY').filter((i) => i.args.includes('--from=build'))) {
      expect(c.args).not.toMatch(/node_modules/);
    }
  });

  it('copies every workspace manifest before npm ci (npm ci must match package-lock.json)', () => {
    for (const name of ['build', 'deps']) {
      const sources = contextSources(stage(name));
      for (const manifest of workspaceManifests()) expect({ stage: name, manifest, copied: sources.includes(manifest) }).toEqual({ stage: name, manifest, copied: true });
    }
  });

  it('runs as a non-root user with NODE_ENV=production and starts dist/main.js', () => {
    const users = ops(runtime(), 'USER').map((i) => i.args);
    expect(users.length).toBeGreaterThan(0);
    const user = users.at(-1)!.split(':')[0]!;
    expect(['root', '0']).not.toContain(user);
    expect(user).toMatch(/^[1-9][0-9]*$/); // numeric, so the kubelet can verify runAsNonRoot
    expect(ops(runtime(), 'ENV').map((i) => i.args)).toContain('NODE_ENV=production');
    const cmd = ops(runtime(), 'CMD').at(-1)!.args;
    expect(JSON.parse(cmd)).toEqual(['node', `services/${svc}/dist/main.js`]);
    expect(ops(runtime(), 'ENTRYPOINT')).toEqual([]);
  });

  it("has no HEALTHCHECK (the chart's probes check health), no remote ADD, no secrets in ENV or ARG", () => {
    for (const s of df.stages) {
      expect(ops(s, 'HEALTHCHECK')).toEqual([]);
      expect(ops(s, 'ADD')).toEqual([]);
      for (const i of [...ops(s, 'ENV'), ...ops(s, 'ARG')]) expect(i.args).not.toMatch(/(URI|PASSWORD|TOKEN|SECRET)\s*=/i);
    }
  });

  it('exposes the service ports and ships the runtime assets the code reads, and nothing of another service', () => {
    const exposed = ops(runtime(), 'EXPOSE').flatMap((i) => i.args.split(' ').map(Number));
    expect(exposed.sort()).toEqual([...SERVICES[svc]].sort());
    const copied = ops(runtime(), 'COPY')
      .map((i) => i.args)
      .join('\n');
    expect(copied).toContain('packages/contratos/schema/'); // Avro schemas, read at run time
    expect(copied).toContain(`/app/services/${svc}/dist/ services/${svc}/dist/`);
    if (svc === 'aeroalpes') expect(copied).toContain('/app/proto/ proto/');
    if (svc === 'ui') expect(copied).toContain('services/ui/public/');
    for (const other of Object.keys(SERVICES).filter((o) => o !== svc)) expect(copied).not.toContain(`services/${other}/`);
  });

  it('the dev stage (skaffold dev) builds on the build stage, runs as the node user and watches this service', () => {
    const dev = stage('dev');
    expect(dev.from).toBe('build');
    expect(ops(stage('build'), 'USER').map((i) => i.args)).toEqual(['node']);
    // CMD is not expanded by Docker: the shell reads the service from the ENV set at build time.
    const env = new Map(ops(dev, 'ENV').flatMap((i) => [...i.args.matchAll(/(\w+)=(\S*)/g)].map((m) => [m[1]!, m[2]!] as const)));
    const [sh, c, script] = JSON.parse(ops(dev, 'CMD').at(-1)!.args) as string[];
    expect([sh, c]).toEqual(['sh', '-c']);
    expect(expand(script!, env)).toBe(`npx tsc -b services/${svc} --watch --preserveWatchOutput & exec node --watch services/${svc}/dist/main.js`);
  });
});

describe(`${DOCKERFILE}: the SERVICE build argument`, () => {
  // The build stage's first RUN refuses a missing or unknown service before anything is copied.
  const check = ops(
    parsed().stages.find((s) => s.name === 'build')!,
    'RUN',
  )[0]!.args;
  const run = (service: string) => spawnSync('sh', ['-c', check], { env: { PATH: process.env.PATH, SERVICE: service }, encoding: 'utf8' });

  it.each(Object.keys(SERVICES))('accepts %s', (svc) => {
    expect(run(svc).status).toBe(0);
  });

  it.each(['', 'servicios', '../aeroalpes'])('refuses %j with a clear message', (svc) => {
    const r = run(svc);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--build-arg SERVICE=aeroalpes|notificaciones|ui is required');
  });

  it('has no default: an image is always built for a named service', () => {
    expect(parsed().globalArgs.get('SERVICE')).toBe('');
  });

  it('the services Dockerfiles are gone (one Dockerfile for all)', () => {
    for (const svc of Object.keys(SERVICES)) expect(fs.existsSync(path.join(REPO, 'services', svc, 'Dockerfile'))).toBe(false);
  });
});

// -------------------------------------------------------------------------------------------
// .dockerignore, with Docker's matching rules: last matching pattern wins, '!' re-includes, a
// path is excluded when a pattern matches it or one of its parent folders.

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      if (glob[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function dockerignore(): { pattern: RegExp; exclude: boolean; text: string }[] {
  return fs
    .readFileSync(path.join(REPO, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const exclude = !l.startsWith('!');
      const p = path.posix.normalize((exclude ? l : l.slice(1)).replace(/^\/+/, '')).replace(/\/$/, '');
      return { pattern: globToRegExp(p), exclude, text: l };
    });
}

function isExcluded(file: string): boolean {
  const parts = file.split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let excluded = false;
  for (const rule of dockerignore()) {
    if (candidates.some((c) => rule.pattern.test(c))) excluded = rule.exclude;
  }
  return excluded;
}

describe('.dockerignore', () => {
  it.each([
    'node_modules/express/index.js',
    'services/ui/node_modules/x/index.js',
    'packages/comun/dist/index.js',
    'services/aeroalpes/tsconfig.tsbuildinfo',
    '.git/HEAD',
    '.env',
    'services/aeroalpes/.env',
    'tests/k8s/chart.test.ts',
    'services/aeroalpes/src/main.test.ts',
    'charts/aeroalpes/values.yaml',
    'components/pubsub.yaml',
    'tools/daprd/main.go',
    '.run/logs/aeroalpes.log',
  ])('leaves out %s', (file) => {
    expect(isExcluded(file)).toBe(true);
  });

  it.each([
    'package.json',
    'package-lock.json',
    'tsconfig.base.json',
    'tools/platform/package.json',
    'packages/contratos/schema/v1/eventos-reserva.avsc',
    'packages/comun/src/index.ts',
    'services/aeroalpes/src/main.ts',
    'services/ui/public/index.html',
    'proto/vuelos.proto',
  ])('keeps %s', (file) => {
    expect(isExcluded(file)).toBe(false);
  });

  it.each(Object.keys(SERVICES))(`keeps every file ${DOCKERFILE} copies from the context for SERVICE=%s`, (svc) => {
    const df = resolve(parsed(), { SERVICE: svc });
    for (const s of df.stages) {
      for (const src of contextSources(s)) expect({ src, excluded: isExcluded(src.replace(/\/$/, '')) }).toEqual({ src, excluded: false });
    }
  });
});
