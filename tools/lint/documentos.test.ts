/**
 * The documents the code and the READMEs cite live in the repository: every `docs/<name>.md` cited
 * exists, and no file cites a design document by a bare name that a clone cannot resolve.
 */
import fs from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');
const FUERA = new Set(['node_modules', 'dist', '.git', 'coverage', '.run', 'test-results']);

function archivos(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return FUERA.has(e.name) ? [] : archivos(p);
    return /\.(ts|js|md|proto|ya?ml|json)$/.test(e.name) && e.name !== 'package-lock.json' ? [p] : [];
  });
}

const citas = archivos(REPO).flatMap((archivo) => {
  const rel = path.relative(REPO, archivo);
  return fs
    .readFileSync(archivo, 'utf8')
    .split('\n')
    .flatMap((linea, i) =>
      [...linea.matchAll(/(?:[\w./-]*\/)?(?:contracts|architecture|style)\.md\b/g)].map((m) => ({ donde: `${rel}:${i + 1}`, cita: m[0], desdeDocs: rel.startsWith('docs/') })),
    );
});

it('finds the citations (the scan is not empty)', () => {
  expect(citas.filter((c) => c.cita === 'docs/contracts.md').length).toBeGreaterThan(3);
});

it('every cited design document is docs/<name>.md and exists', () => {
  // Inside docs/ a sibling is cited by its bare name (a relative link).
  const malas = citas
    .map((c) => ({ ...c, archivo: c.desdeDocs && !c.cita.includes('/') ? `docs/${c.cita}` : c.cita }))
    .filter((c) => !/^docs\/[\w-]+\.md$/.test(c.archivo) || !fs.existsSync(path.join(REPO, c.archivo)))
    .map((c) => `${c.donde}: ${c.cita}`);
  expect(malas).toEqual([]);
});
