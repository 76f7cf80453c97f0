// Six projects: "unit" (domain, application, adapters in memory: no processes, runs in parallel),
// "k8s" (offline chart validation), and four on a real platform each (daprd, Pulsar, FerretDB on
// PostgreSQL, browsers; run in band, one project per jest run): "integration", "faults" (processes
// killed and healed), "replicas" (two of every service) and "dapr-cli" (the Dapr CLI starts the
// services from dapr.yaml on a platform without them; not in `npm test`).
const transform = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
};
// Tests import workspace packages from source, so no build is needed before a unit run.
const moduleNameMapper = {};
const roots = { contratos: 'packages/contratos', comun: 'packages/comun', platform: 'tools/platform' };
for (const [name, dir] of Object.entries(roots)) {
  moduleNameMapper[`^@aeroalpes/${name}$`] = `<rootDir>/${dir}/src/index.ts`;
}
// Subpath exports of packages/contratos (package.json "exports"), e.g. @aeroalpes/contratos/estados-reserva.
moduleNameMapper['^@aeroalpes/contratos/([a-z-]+)$'] = '<rootDir>/packages/contratos/src/$1.ts';

module.exports = {
  // Integration tests wait on real processes (a project-level testTimeout is ignored by jest 30).
  testTimeout: 120000,
  reporters: ['default', '<rootDir>/tools/jest/summary-reporter.js'],
  projects: [
    {
      displayName: 'unit',
      transform,
      moduleNameMapper,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/{packages,services,tools}/*/src/**/*.test.ts', '<rootDir>/bench/src/**/*.test.ts', '<rootDir>/tools/lint/*.test.ts'],
    },
    {
      // Offline Kubernetes checks (Helm, schemas, drift): need the provisioned tools, no platform.
      displayName: 'k8s',
      transform,
      moduleNameMapper,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/tests/k8s/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      transform,
      moduleNameMapper,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/tests/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/k8s/', '<rootDir>/tests/faults/', '<rootDir>/tests/replicas/', '<rootDir>/tests/dapr-cli/'],
      globalSetup: '<rootDir>/tests/support/global-setup.ts',
      globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
    },
    {
      // The fault suite: processes killed under a stream of commands, the launcher heals them. Its own platform.
      displayName: 'faults',
      transform,
      moduleNameMapper,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/tests/faults/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/support/global-setup-faults.ts',
      globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
    },
    {
      // Scale-out: two replicas of every service, each with its daprd. Its own platform.
      displayName: 'replicas',
      transform,
      moduleNameMapper,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/tests/replicas/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/support/global-setup-replicas.ts',
      globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
    },
    {
      // The Dapr CLI path (dapr.yaml): its own platform without services, the CLI starts them. Not in
      // `npm test`: the CLI is provisioned apart (`npm run setup -- dapr-cli` or DAPR_CLI_BIN).
      displayName: 'dapr-cli',
      transform,
      moduleNameMapper,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/tests/dapr-cli/**/*.test.ts'],
    },
  ],
};
