// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';
import globals from 'globals';

/**
 * The house's layering, enforced rather than reviewed (DESIGN.md rule 1):
 * common ← server, common ← web; web never imports server; inside a module
 * routes → service → repo → db; migrations import nothing of the app.
 */
const zones = [
  { target: './common', from: ['./server', './web', './tests'], message: 'common/ is isomorphic: it imports nothing of server, web or tests.' },
  { target: './web', from: ['./server'], message: 'The web app talks to the server over HTTP only (web/lib/http.ts).' },
  { target: './server', from: ['./web'], message: 'The server never imports the web app.' },
  { target: './server/db/migrations', from: ['./server/modules', './server/platform', './common'], message: 'Migrations are frozen in time: no app imports.' },
  { target: './server/**/*.repo.ts', from: ['./server/**/*.service.ts', './server/**/*.routes.ts'], message: 'A repo holds only Kysely; it calls no service or route.' },
  { target: './server/**/*.service.ts', from: ['./server/**/*.routes.ts'], message: 'Services know nothing of routes.' },
  { target: './server/modules', from: ['./server/modules/reports'], except: ['./reports'], message: 'Nothing imports reports.' },
  // Domain modules depend downwards only (ARCHITECTURE.md): the registry under the modules that
  // hang on it; figures read across modules through the metric sources filled in app.ts.
  { target: './server/modules/enterprises', from: ['./server/modules/monitoring', './server/modules/cultivation', './server/modules/targets', './server/modules/plans', './server/modules/imports'], message: 'The enterprise registry sits under the modules that use it: they listen to it (registry-changes), it never imports them.' },
  { target: './server/modules/monitoring', from: ['./server/modules/cultivation', './server/modules/targets', './server/modules/plans'], message: 'Monitoring does not import the modules that read its figures.' },
  { target: './server/modules/targets', from: ['./server/modules/monitoring', './server/modules/cultivation', './server/modules/plans'], message: 'Targets measure other modules through the metric sources registered in app.ts, never by importing them.' },
  { target: './server/modules/cultivation', from: ['./server/modules/targets', './server/modules/plans'], message: 'Cultivation offers its figures as metric sources; it does not import targets or plans.' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'coverage/**', 'tests/e2e/artifacts/**', 'bench/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { import: importPlugin },
    settings: {
      'import/resolver': { typescript: { project: './tsconfig.json', alwaysTryTypes: true } },
    },
    rules: {
      'import/no-restricted-paths': ['error', { zones }],
      'import/no-cycle': ['error', { maxDepth: 6, ignoreExternal: true }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Service files must not reach for Fastify: they are called from routes, CLI and tests alike.
    files: ['server/**/*.service.ts', 'server/**/*.repo.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['fastify', '@fastify/*'], message: 'Services and repos know nothing of Fastify.' }] }] },
  },
  {
    // Routes hold no SQL: they call services.
    files: ['server/**/*.routes.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['kysely', '**/*.repo.ts'], message: 'Routes hold no SQL and no repo calls: go through the service.' }] }] },
  },
  {
    // Migrations are frozen, written against Kysely<any> by design.
    files: ['server/db/migrations/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Config files, the summary reporter and the Vitest global setup are loaded by tools that expect a default export.
    files: ['*.config.ts', '*.config.js', 'web/vite.config.ts', 'tests/support/summary-reporter.ts', 'tests/support/require-components.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
