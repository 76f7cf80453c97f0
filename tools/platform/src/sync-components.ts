/**
 * `npm run components:sync`: writes the Avro v1 schemas of packages/contratos into the
 * `<topic>.avroschema` metadata of every Pulsar component in components/ (Dapr reads component
 * files as they are, so the schema text must stand in the file), and copies the .avsc files into
 * the chart. A Pulsar component carries the schema of each contract topic its `allowedTopics`
 * name, and no other (`topicosConEsquema`: the one rule, also read by tests/k8s/drift.test.ts,
 * which fails when a component, local or rendered by the chart, differs from the contracts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument, type Document } from 'yaml';
import { esquemaJson, esTopico, rutaEsquema, TOPICOS, type Topico } from '@aeroalpes/contratos';
import { REPO_ROOT } from './cache';

export const COMPONENTS_DIR = path.join(REPO_ROOT, 'components');
const SUFIJO_ESQUEMA = '.avroschema';

interface Metadato {
  name: string;
  value?: unknown;
}

/** The contract topics a Pulsar component allows (metadata `allowedTopics`): those whose schema it must carry. */
export function topicosConEsquema(metadata: readonly Metadato[]): Topico[] {
  const permitidos = metadata.find((m) => m.name === 'allowedTopics')?.value;
  if (typeof permitidos !== 'string') throw new Error('a Pulsar component must list its topics in metadata allowedTopics');
  return permitidos
    .split(',')
    .map((t) => t.trim())
    .filter(esTopico);
}

/** The topics whose schema a component's metadata carries (`<topic>.avroschema`). */
export function topicosDeclarados(metadata: readonly Metadato[]): string[] {
  return metadata.filter((m) => m.name.endsWith(SUFIJO_ESQUEMA)).map((m) => m.name.slice(0, -SUFIJO_ESQUEMA.length));
}

const esPulsar = (doc: Document) => doc.get('kind') === 'Component' && doc.getIn(['spec', 'type']) === 'pubsub.pulsar';

/** The component file with the contracts' schemas written in; any other file unchanged. Throws when a schema entry is missing or stray. */
export function conEsquemas(texto: string, archivo = 'component'): string {
  const doc = parseDocument(texto);
  if (!esPulsar(doc)) return texto;
  const plano = (doc.toJS() as { spec: { metadata: Metadato[] } }).spec.metadata;
  const esperados = topicosConEsquema(plano);
  const sobrantes = topicosDeclarados(plano).filter((t) => !(esperados as string[]).includes(t));
  if (sobrantes.length > 0) throw new Error(`${archivo} carries the schema of ${sobrantes.join(', ')}, which its allowedTopics do not name`);
  const metadata = doc.getIn(['spec', 'metadata']) as { items: { get(k: string): unknown; set(k: string, v: unknown): void }[] };
  for (const topico of esperados) {
    const item = metadata.items.find((m) => m.get('name') === `${topico}${SUFIJO_ESQUEMA}`);
    if (!item) throw new Error(`${archivo} lacks metadata ${topico}${SUFIJO_ESQUEMA}`);
    item.set('value', esquemaJson(topico));
  }
  return doc.toString({ lineWidth: 0 });
}

/** The chart reads the schemas from its own files/ (Helm cannot read outside the chart). */
export const CHART_SCHEMAS = path.join(REPO_ROOT, 'charts', 'aeroalpes', 'files', 'avro', 'v1');

if (require.main === module) {
  for (const nombre of fs.readdirSync(COMPONENTS_DIR).filter((f) => /\.ya?ml$/.test(f))) {
    const archivo = path.join(COMPONENTS_DIR, nombre);
    const antes = fs.readFileSync(archivo, 'utf8');
    const despues = conEsquemas(antes, path.relative(REPO_ROOT, archivo));
    if (despues === antes) continue;
    fs.writeFileSync(archivo, despues);
    console.log(`updated ${path.relative(REPO_ROOT, archivo)}`);
  }
  fs.mkdirSync(CHART_SCHEMAS, { recursive: true });
  for (const topico of TOPICOS) {
    const destino = path.join(CHART_SCHEMAS, path.basename(rutaEsquema(topico)));
    fs.copyFileSync(rutaEsquema(topico), destino);
    console.log(`updated ${path.relative(REPO_ROOT, destino)}`);
  }
}
