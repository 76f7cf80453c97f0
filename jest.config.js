// Three projects: "unit" (domain, application, adapters in memory: no processes, runs in parallel)
// "k8s" (offline chart validation) and "integration" (real daprd, Pulsar, FerretDB and browsers: run in band, one platform per run).
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
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/k8s/'],
      globalSetup: '<rootDir>/tests/support/global-setup.ts',
      globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
    },
  ],
};
