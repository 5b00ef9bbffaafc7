import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'wasm/', 'corpora/', 'node_modules/', 'rust/', 'bench/results/', 'bench/data/', '.venv/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // web/: browser scripts (the playground and the report charts).
  { files: ['web/**/*.js'], languageOptions: { globals: { window: 'readonly', document: 'readonly', fetch: 'readonly', URLSearchParams: 'readonly' } } },
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', performance: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', URL: 'readonly', FinalizationRegistry: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
);
