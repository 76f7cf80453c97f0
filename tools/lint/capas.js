'use strict';
/**
 * The layer rules of the services, as one ESLint rule (`capas/capas`) that `npm run lint` runs on
 * every file. It reads each import (import, export ... from, import(), require()), resolves a
 * relative one against the importing file and checks:
 *  - dominio (services/<s>/src/modulos/<m>/dominio/, services/<s>/src/seedwork/dominio/) imports
 *    only its own module's dominio, seedwork/dominio, the pure Node modules in NODE_PUROS and the
 *    published language in PUBLICADO: the domain is plain TypeScript;
 *  - aplicacion (modulos/<m>/aplicacion/, seedwork/aplicacion/, and the `comando.ts` or `query.ts`
 *    of a use-case folder modulos/<m>/<caso>/) imports only aplicacion and dominio (no
 *    infraestructura, no api, no composition root, not the adapters beside it in its use-case
 *    folder) and no transport or driver (TRANSPORTES);
 *  - a use-case folder (modulos/<m>/<caso>/, e.g. vuelos/crear-reserva/) keeps one use case in one
 *    place, each file named for its layer: `comando.ts` / `query.ts` is its application layer
 *    (the rule above), the others (`rest.ts`, `broker.ts`) are its adapters, unrestricted like
 *    infraestructura and api;
 *  - a service imports no other service's files (services/<a> never reaches services/<b>): what
 *    services share lives in packages/;
 *  - packages/ import no service.
 * Tests (*.test.ts) wire real and in-memory adapters to what they test, so the dominio and
 * aplicacion rules skip them; the service and package boundaries hold for them too.
 * Checked by tools/lint/capas.test.ts.
 */
const fs = require('node:fs');
const path = require('node:path');
const { builtinModules } = require('node:module');

const REPO = path.resolve(__dirname, '..', '..');

/** Node modules without I/O that the domain may use (seedwork/dominio/eventos.ts: randomUUID). */
const NODE_PUROS = ['node:crypto'];

/**
 * The shared published language the domain may import: the dependency-free module of reserva
 * states in @aeroalpes/contratos (the states and their transitions, defined once for every
 * service and the page). Only that module: the rest of the package (Avro, ajv) is not for the domain.
 */
const PUBLICADO = /^@aeroalpes\/contratos\/(?:(?:src|dist)\/)?estados-reserva$/;
const PUBLICADO_TEXTO = '@aeroalpes/contratos/estados-reserva';

/** Transports and drivers: the adapters' business, never the application layer's. */
const TRANSPORTES = /^(?:express|mongodb|ws|@dapr\/.+|@grpc\/.+|node:(?:http|https|http2|net|tls|dgram))$/;

const NODE = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** The services' npm names (@aeroalpes/aeroalpes, ...), so a bare import of a service is caught too. */
const NOMBRES_SERVICIOS = new Map(
  fs
    .readdirSync(path.join(REPO, 'services'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(REPO, 'services', d.name, 'package.json')))
    .map((d) => [JSON.parse(fs.readFileSync(path.join(REPO, 'services', d.name, 'package.json'), 'utf8')).name, d.name]),
);

/**
 * The application-layer file of a use-case folder (modulos/<m>/<caso>/, any folder of a module
 * other than its layers): `comando.ts` or `query.ts`, with or without the extension.
 */
const CASO_DE_USO = /^src\/modulos\/([^/]+)\/(?!(?:dominio|aplicacion|infraestructura)\/)[^/]+\/(?:comando|query)(?:\.[cm]?[jt]s)?$/;

/** Where a repository path (posix, relative to the root) sits: service, module and layer, or package. */
function ubicar(rel) {
  const s = /^services\/([^/]+)(?:\/(.*))?$/.exec(rel);
  if (s) {
    const capa = /^src\/(?:modulos\/([^/]+)|(seedwork))\/(dominio|aplicacion|infraestructura)(?:\/|$)/.exec(s[2] ?? '');
    if (capa) return { servicio: s[1], modulo: capa[1] ?? capa[2], capa: capa[3] };
    const caso = CASO_DE_USO.exec(s[2] ?? '');
    return { servicio: s[1], modulo: caso ? caso[1] : undefined, capa: caso ? 'aplicacion' : undefined };
  }
  const p = /^packages\/([^/]+)(?:\/|$)/.exec(rel);
  return p ? { paquete: p[1] } : {};
}

/** The package a bare specifier names: '@scope/name' or 'name'; a Node module as node:name. */
function paquete(fuente) {
  if (NODE.has(fuente)) return fuente.startsWith('node:') ? fuente : `node:${fuente}`;
  const partes = fuente.split('/');
  return fuente.startsWith('@') ? partes.slice(0, 2).join('/') : partes[0];
}

/** The rules for one import, or undefined when it is allowed. `rel` is the importing file's path. */
function violacion(rel, fuente) {
  const desde = ubicar(rel);
  const esPrueba = /\.test\.[cm]?[jt]s$/.test(rel);
  const relativa = fuente.startsWith('./') || fuente.startsWith('../');
  const destinoRel = relativa ? path.posix.normalize(path.posix.join(path.posix.dirname(rel), fuente)) : undefined;
  const hacia = destinoRel !== undefined ? ubicar(destinoRel) : {};
  const servicioNombrado = relativa ? undefined : NOMBRES_SERVICIOS.get(paquete(fuente));

  // Boundaries between services, and from packages to services.
  const servicioDestino = hacia.servicio ?? servicioNombrado;
  if (desde.servicio && servicioDestino && servicioDestino !== desde.servicio) return { messageId: 'otroServicio', data: { servicio: desde.servicio, otro: servicioDestino } };
  if (desde.paquete && servicioDestino) return { messageId: 'paqueteAServicio', data: { paquete: desde.paquete, servicio: servicioDestino } };
  if (esPrueba || !desde.capa) return undefined;

  if (desde.capa === 'dominio') {
    const permitido = relativa
      ? hacia.servicio === desde.servicio && hacia.capa === 'dominio' && (hacia.modulo === desde.modulo || hacia.modulo === 'seedwork')
      : NODE_PUROS.includes(paquete(fuente)) || PUBLICADO.test(fuente);
    if (!permitido) return { messageId: 'dominio', data: { modulo: desde.modulo, fuente, publicado: PUBLICADO_TEXTO, puros: NODE_PUROS.join(', ') } };
  }
  if (desde.capa === 'aplicacion') {
    if (relativa && hacia.servicio === desde.servicio && hacia.capa !== 'dominio' && hacia.capa !== 'aplicacion') {
      return { messageId: 'aplicacion', data: { fuente, destino: destinoRel.replace(/^services\/[^/]+\/src\//, '') } };
    }
    if (!relativa && TRANSPORTES.test(paquete(fuente))) return { messageId: 'transporte', data: { fuente } };
  }
  return undefined;
}

/** The string literal an import-like node names, if any. */
function fuenteDe(node) {
  if (node.type === 'CallExpression') {
    const [arg] = node.arguments;
    const esRequire = node.callee.type === 'Identifier' && node.callee.name === 'require';
    return esRequire && arg && arg.type === 'Literal' && typeof arg.value === 'string' ? arg : undefined;
  }
  if (node.type === 'TSImportEqualsDeclaration') {
    const ref = node.moduleReference;
    return ref.type === 'TSExternalModuleReference' ? ref.expression : undefined;
  }
  return node.source && node.source.type === 'Literal' && typeof node.source.value === 'string' ? node.source : undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
const regla = {
  meta: {
    type: 'problem',
    docs: { description: 'Layer and service boundaries of AeroAlpes (tools/lint/capas.js)' },
    schema: [],
    messages: {
      dominio: "dominio ({{modulo}}) imports only its own dominio, seedwork/dominio, {{puros}} and {{publicado}}: '{{fuente}}' is not allowed",
      aplicacion: "aplicacion imports no infraestructura, api or composition root: '{{fuente}}' is {{destino}}",
      transporte: "aplicacion imports no transport or driver: '{{fuente}}' belongs in an adapter (infraestructura, api)",
      otroServicio: 'services/{{servicio}} imports a file of services/{{otro}}: share it through packages/ instead',
      paqueteAServicio: 'packages/{{paquete}} imports services/{{servicio}}: packages never depend on a service',
    },
  },
  create(context) {
    const rel = path.relative(REPO, context.filename).split(path.sep).join('/');
    if (rel.startsWith('..')) return {};
    const revisar = (node) => {
      const literal = fuenteDe(node);
      const v = literal && violacion(rel, literal.value);
      if (v) context.report({ node: literal, ...v });
    };
    return {
      ImportDeclaration: revisar,
      ExportAllDeclaration: revisar,
      ExportNamedDeclaration: revisar,
      ImportExpression: revisar,
      CallExpression: revisar,
      TSImportEqualsDeclaration: revisar,
    };
  },
};

/** The plugin, and the flat-config block that turns the rule on everywhere (the rule knows the folders). */
/** @type {import('eslint').ESLint.Plugin} */
const plugin = { meta: { name: 'capas' }, rules: { capas: regla } };
/** @type {import('eslint').Linter.Config} */
const configuracion = {
  name: 'aeroalpes/capas',
  files: ['**/*.{ts,js,cjs,mjs}'],
  plugins: { capas: plugin },
  rules: { 'capas/capas': 'error' },
};

module.exports = { configuracion };
