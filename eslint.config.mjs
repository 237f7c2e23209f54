// Lint: typescript-eslint's recommended rules, plus the layering the architecture rests on
// (ARCHITECTURE.md): the core and the protocol import no editor, DOM-host or file-system module,
// and never the glue around them; the worker and the CLI import no editor.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const hostModules = [
  'vscode',
  'fs',
  'fs/promises',
  'node:fs',
  'node:fs/promises',
  'worker_threads',
  'node:worker_threads',
  'child_process',
  'node:child_process',
];
const glue = ['**/features/**', '**/worker/**', '**/cli/**', '**/webview/**'];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'node_modules/**',
      '.cache/**',
      '.vscode-test/**',
      'test-artifacts/**',
      'test/fixtures/**',
      'media/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
      // Typed message namespaces (FromWebview/ToWebview...), as VS Code's markdown preview declares its protocol.
      '@typescript-eslint/no-namespace': 'off',
    },
  },
  {
    // Tests edit JSON payloads freely to make them malformed; the validators under test check the types.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['extension/core/**/*.ts', 'extension/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: hostModules, patterns: glue }],
    },
  },
  {
    // Where jobs run (the worker, the inline runner, disk reads) and the CLI: Node, never the editor.
    files: ['extension/worker/**/*.ts', 'extension/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['vscode'], patterns: ['**/features/**', '**/webview/**'] }],
    },
  },
);
