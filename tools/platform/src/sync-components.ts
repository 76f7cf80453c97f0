/**
 * `npm run components:sync`: writes the Avro v1 schemas of packages/contratos into the
 * `<topic>.avroschema` metadata of components/pubsub.yaml (Dapr reads component files as they are,
 * so the schema text must stand in the file), and copies the .avsc files into the chart.
 * tests/k8s/drift.test.ts fails when either differs, so the contracts stay the one source of truth.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { esquemaJson, rutaEsquema, TOPICOS } from '@aeroalpes/contratos';
import { REPO_ROOT } from './cache';

export const PUBSUB_FILE = path.join(REPO_ROOT, 'components', 'pubsub.yaml');

export function pubsubConEsquemas(texto: string): string {
  const doc = parseDocument(texto);
  const metadata = doc.getIn(['spec', 'metadata']) as { items: { get(k: string): unknown; set(k: string, v: unknown): void }[] };
  for (const topico of TOPICOS) {
    const item = metadata.items.find((m) => m.get('name') === `${topico}.avroschema`);
    if (!item) throw new Error(`components/pubsub.yaml lacks metadata ${topico}.avroschema`);
    item.set('value', esquemaJson(topico));
  }
  return doc.toString({ lineWidth: 0 });
}

/** The chart reads the schemas from its own files/ (Helm cannot read outside the chart). */
export const CHART_SCHEMAS = path.join(REPO_ROOT, 'charts', 'aeroalpes', 'files', 'avro', 'v1');

if (require.main === module) {
  fs.writeFileSync(PUBSUB_FILE, pubsubConEsquemas(fs.readFileSync(PUBSUB_FILE, 'utf8')));
  console.log(`updated ${path.relative(REPO_ROOT, PUBSUB_FILE)}`);
  fs.mkdirSync(CHART_SCHEMAS, { recursive: true });
  for (const topico of TOPICOS) {
    const destino = path.join(CHART_SCHEMAS, path.basename(rutaEsquema(topico)));
    fs.copyFileSync(rutaEsquema(topico), destino);
    console.log(`updated ${path.relative(REPO_ROOT, destino)}`);
  }
}
