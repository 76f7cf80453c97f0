// ESLint (flat config): typescript-eslint's recommended rules, the layer rules of tools/lint/capas.js
// and, where type information pays for itself, the promise rules that catch real bugs (a promise
// nobody awaits loses its error). Formatting is Prettier's (prettier.config.js), not ESLint's.
// `npm run lint` runs this, Prettier's check and so the layer rules; `npm test` runs lint first.
'use strict';
const { defineConfig } = require('eslint/config');
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const globals = require('globals');
const capas = require('./tools/lint/capas');

module.exports = defineConfig(
  { ignores: ['**/node_modules/', '**/dist/', '**/coverage/', '.run/', 'test-results/', 'tools/{daprd,ferretdb,pulsar,helm,k8s-validate}/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'aeroalpes/typescript',
    files: ['**/*.ts'],
    languageOptions: {
      // One program for the whole repository, tests included (tests/tsconfig.json), for the typed rules.
      parserOptions: { project: './tests/tsconfig.json', tsconfigRootDir: __dirname },
    },
    rules: {
      // Real bugs, found with the types: an unawaited promise (its rejection is lost), an await on a
      // non-promise, a promise where a condition or a void callback is expected. The rest of the
      // type-checked presets is left out: it costs more than it finds here.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // `_unused` names are deliberate (tsc's noUnusedLocals/Parameters check the rest).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    name: 'aeroalpes/commonjs',
    files: ['**/*.js'],
    ignores: ['services/ui/public/**'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: globals.node,
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    name: 'aeroalpes/navegador',
    files: ['services/ui/public/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: globals.browser,
    },
  },
  {
    // Tests read JSON answers of real services: `any` there is the honest type of a parsed body.
    name: 'aeroalpes/pruebas',
    files: ['tests/**/*.ts', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  capas.configuracion,
);
