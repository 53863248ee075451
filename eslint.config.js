// ESLint with typescript-eslint, type-aware: the rules that matter here
// (floating promises, unused code) need the types, and only ESLint's
// TypeScript plugin checks them; Biome would be faster but cannot yet. Run
// by `npm run lint` and by .ci/run before the tests. The module walls are
// checked by tests/architecture/walls.test.ts, which can read SQL too.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** Lines a function may have; a React component (a .tsx function) gets more, since its markup is long but flat. */
const function_lines_max = 150;
const component_lines_max = 250;

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vercel/**', '.data/**', 'tests/output/**', '**/*.cjs', 'tools/stubs/**', 'types/**'] },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs', '**/*.js'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'tools/*.mjs', 'tools/deploy-check/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-empty-object-type': 'off',
      'max-lines-per-function': ['error', { max: function_lines_max, skipBlankLines: true, skipComments: true, IIFEs: true }],
    },
  },
  {
    // The two classic hook rules: hooks called in order, and effects that name what they read.
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['**/*.tsx'],
    rules: { 'max-lines-per-function': ['error', { max: component_lines_max, skipBlankLines: true, skipComments: true }] },
  },
  {
    // A test file's describe block holds its cases: its length is the suite's, not one function's.
    files: ['tests/**', '**/*.test.ts', 'bench/**'],
    rules: { 'max-lines-per-function': 'off' },
  },
);
