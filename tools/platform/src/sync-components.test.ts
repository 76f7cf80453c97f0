import { esquemaJson } from '@aeroalpes/contratos';
import { parse } from 'yaml';
import { conEsquemas, topicosConEsquema, topicosDeclarados } from './sync-components';

const componente = (permitidos: string, esquemas: string[]) =>
  [
    '# a comment that stays',
    'apiVersion: dapr.io/v1alpha1',
    'kind: Component',
    'metadata:',
    '  name: difusion',
    'spec:',
    '  type: pubsub.pulsar',
    '  version: v1',
    '  metadata:',
    '    - name: allowedTopics',
    `      value: "${permitidos}"`,
    ...esquemas.flatMap((t) => [`    - name: ${t}.avroschema`, '      value: ""']),
    'scopes:',
    '  - ui',
    '',
  ].join('\n');

const metadata = (texto: string) => (parse(texto) as { spec: { metadata: { name: string; value: string }[] } }).spec.metadata;

describe('components:sync', () => {
  it('writes the contract of each topic a Pulsar component allows (dead-letter topics have none), keeping the rest of the file', () => {
    const salida = conEsquemas(componente('eventos-reserva,eventos-reserva-dlq', ['eventos-reserva']));
    expect(salida).toContain('# a comment that stays');
    const m = metadata(salida);
    expect(topicosConEsquema(m)).toEqual(['eventos-reserva']);
    expect(topicosDeclarados(m)).toEqual(['eventos-reserva']);
    expect(m.find((x) => x.name === 'eventos-reserva.avroschema')?.value).toBe(esquemaJson('eventos-reserva'));
  });

  it('refuses a component that lacks the schema of a topic it allows, or carries one of a topic it does not', () => {
    expect(() => conEsquemas(componente('eventos-reserva,comandos-reserva', ['eventos-reserva']), 'components/x.yaml')).toThrow(
      'components/x.yaml lacks metadata comandos-reserva.avroschema',
    );
    expect(() => conEsquemas(componente('eventos-reserva', ['eventos-reserva', 'comandos-reserva']), 'components/x.yaml')).toThrow(
      'components/x.yaml carries the schema of comandos-reserva, which its allowedTopics do not name',
    );
    expect(() => topicosConEsquema([{ name: 'host', value: 'x' }])).toThrow(/allowedTopics/);
  });

  it('leaves other resources as they are', () => {
    const resiliencia = 'apiVersion: dapr.io/v1alpha1\nkind: Resiliency\nmetadata:\n  name: r\nspec: {}\n';
    expect(conEsquemas(resiliencia)).toBe(resiliencia);
  });
});
