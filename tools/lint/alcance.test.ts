/**
 * What each workspace compiles into dist/ (its tsconfig.json) is what it runs: every compiled file
 * is reachable from an entry point (package.json `main` or `bin`, or a root script's `node <ws>/dist/x.js`),
 * and nothing a tsconfig leaves out (tests, test servers, fixtures) is pulled back into the build by
 * an import. A failure names a test-only helper that reached dist/ (add it to that tsconfig's
 * `exclude`) or a file nothing uses (delete it).
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const REPO = path.resolve(__dirname, '..', '..');
const raiz = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { workspaces: string[]; scripts: Record<string, string> };
const WORKSPACES = raiz.workspaces
  .flatMap((g) => (g.endsWith('/*') ? fs.readdirSync(path.join(REPO, g.slice(0, -2))).map((d) => `${g.slice(0, -2)}/${d}`) : [g]))
  .concat('bench')
  .filter((ws) => fs.existsSync(path.join(REPO, ws, 'tsconfig.json')));

/** The sources `node <ws>/dist/<x>.js` in the root scripts run. */
const ENTRADAS_SCRIPTS = Object.values(raiz.scripts).flatMap((s) =>
  [...s.matchAll(/\bnode ([\w./-]+)\/dist\/([\w./-]+)\.js/g)].map((m) => path.join(REPO, m[1]!, 'src', `${m[2]}.ts`)),
);

function analizar(ws: string) {
  const dir = path.join(REPO, ws);
  const src = path.join(dir, 'src') + path.sep;
  const config = ts.getParsedCommandLineOfConfigFile(path.join(dir, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => fail(d.messageText) })!;
  const host = ts.createCompilerHost(config.options);
  const importa = new Map<string, string[]>();
  const imports = (archivo: string): string[] => {
    let deps = importa.get(archivo);
    if (!deps) {
      const { importedFiles } = ts.preProcessFile(fs.readFileSync(archivo, 'utf8'), true, true);
      deps = importedFiles
        .map((i) => ts.resolveModuleName(i.fileName, archivo, config.options, host).resolvedModule?.resolvedFileName)
        .filter((f): f is string => f !== undefined && path.resolve(f).startsWith(src) && !f.endsWith('.d.ts'))
        .map((f) => path.resolve(f));
      importa.set(archivo, deps);
    }
    return deps;
  };
  const cerrar = (inicio: string[]) => {
    const vistos = new Set<string>();
    for (const pila = [...inicio]; pila.length;) {
      const f = pila.pop()!;
      if (vistos.has(f)) continue;
      vistos.add(f);
      pila.push(...imports(f));
    }
    return vistos;
  };
  const incluidos = config.fileNames.map((f) => path.resolve(f)).filter((f) => f.startsWith(src) && /\.ts$/.test(f));
  // What tsc compiles: the included files and whatever they import.
  const compilados = cerrar(incluidos);
  const archivoManifiesto = path.join(dir, 'package.json');
  const manifiesto = (fs.existsSync(archivoManifiesto) ? JSON.parse(fs.readFileSync(archivoManifiesto, 'utf8')) : {}) as { main?: string; bin?: Record<string, string> };
  const entradas = ENTRADAS_SCRIPTS.filter((e) => e.startsWith(src));
  for (const entrada of [manifiesto.main, ...Object.values(manifiesto.bin ?? {})])
    if (entrada) entradas.push(path.join(dir, entrada.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts')));
  const alcanzados = cerrar(entradas);
  const rel = (archivos: Iterable<string>) => [...archivos].map((f) => path.relative(REPO, f)).sort();
  return { incluidos, compilados, entradas, alcanzados, rel };
}

describe.each(WORKSPACES)('%s/dist', (ws) => {
  const { incluidos, compilados, entradas, alcanzados, rel } = analizar(ws);

  it('has entry points that exist', () => {
    expect(entradas.length).toBeGreaterThan(0);
    for (const e of entradas) expect({ entrada: path.relative(REPO, e), existe: fs.existsSync(e) }).toEqual({ entrada: path.relative(REPO, e), existe: true });
  });

  it('compiles nothing its tsconfig excludes (no build file imports a test helper)', () => {
    expect(rel([...compilados].filter((f) => !incluidos.includes(f)))).toEqual([]);
  });

  it('compiles only files its entry points reach (no test helper or unused file in dist/)', () => {
    expect(rel([...compilados].filter((f) => !alcanzados.has(f)))).toEqual([]);
  });
});

it('covers every workspace with sources, and the analysis sees a file left out of the build', () => {
  expect(WORKSPACES).toEqual(
    expect.arrayContaining(['packages/comun', 'packages/contratos', 'services/aeroalpes', 'services/notificaciones', 'services/ui', 'tools/platform', 'bench']),
  );
  const { incluidos, alcanzados, rel } = analizar('services/ui');
  // The ui's test environment is excluded, and no entry point reaches it.
  expect(rel(incluidos)).not.toContain('services/ui/src/pruebas/entorno.ts');
  expect(rel(alcanzados)).toContain('services/ui/src/app.ts');
  expect(rel(alcanzados)).not.toContain('services/ui/src/pruebas/entorno.ts');
});
