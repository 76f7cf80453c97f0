// Two projects: "unit" (domain, application, adapters in memory: no processes, runs in parallel)
// and "integration" (real daprd, Pulsar, FerretDB and browsers: run in band, one platform per run).
const transform = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
};
// Tests import workspace packages from source, so no build is needed before a unit run.
const moduleNameMapper = {};
const roots = { contratos: 'packages/contratos', comun: 'packages/comun', platform: 'tools/platform' };
for (const [name, dir] of Object.entries(roots)) {
  moduleNameMapper[`^@aeroalpes/${name}$`] = `<rootDir>/${dir}/src/index.ts`;
}

module.exports = {
  reporters: ['default', '<rootDir>/tools/jest/summary-reporter.js'],
  projects: [
    {
      displayName: 'unit',
      transform,
      moduleNameMapper,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/{packages,services,tools}/*/src/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      transform,
      moduleNameMapper,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/tests/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/support/global-setup.ts',
      globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
      testTimeout: 120000,
    },
  ],
};
