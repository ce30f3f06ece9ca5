// Kept small on purpose: the recommended rules, plus what `npm test` must
// catch before review does (unused code, floating promises are left to tsc).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-results/', 'playwright-report/', 'cache/', '.venv/', '.tmp/', 'examples/test-suite/test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // Playwright fixtures take `{}` as their first argument; `{}` as a type is how its own docs write "no fixtures".
      'no-empty-pattern': 'off',
      '@typescript-eslint/no-empty-object-type': 'off',
    },
  },
  {
    files: ['tests/site/public/**/*.js'],
    languageOptions: { globals: Object.fromEntries(['window', 'document', 'location', 'fetch', 'crypto', 'WebAssembly', 'console', 'performance', 'TextEncoder', 'URL', 'URLSearchParams', 'btoa', 'CanvasKitInit'].map(name => [name, 'readonly'])) },
  },
);
