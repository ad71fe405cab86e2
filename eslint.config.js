// Lint rules that enforce DESIGN.md §6 where a rule can: no `any`, no floating promises,
// and the one-way import direction between the folders of src/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const folders = ['api', 'worker', 'cluster', 'git', 'charts', 'render', 'diff', 'health', 'sync', 'controller', 'server', 'dashboard', 'cli', 'argocd'];

// What each folder of src/ must not import (DESIGN.md §2 and §6.1).
const forbiddenImports = {
  api: folders.filter((f) => f !== 'api'),
  // Worker threads with limits (jq, Lua): below everything but api.
  worker: folders.filter((f) => f !== 'worker' && f !== 'api'),
  cluster: ['git', 'render', 'diff', 'health', 'sync', 'controller', 'server', 'dashboard', 'cli'],
  git: ['cluster', 'render', 'diff', 'health', 'sync', 'controller', 'server', 'dashboard', 'cli'],
  // Helm charts from chart repositories and OCI registries: node built-ins and api only.
  charts: folders.filter((f) => f !== 'charts' && f !== 'api'),
  render: ['cluster', 'git', 'diff', 'health', 'sync', 'controller', 'server', 'dashboard', 'cli'],
  diff: ['cluster', 'git', 'render', 'health', 'sync', 'controller', 'server', 'dashboard', 'cli'],
  health: ['cluster', 'git', 'render', 'diff', 'sync', 'controller', 'server', 'dashboard', 'cli'],
  sync: ['controller', 'server', 'dashboard', 'cli'],
  controller: ['server', 'dashboard', 'cli'],
  server: ['dashboard', 'cli'],
  // The dashboard's server drives Applications through the CLI's client (src/cli/app); the CLI
  // starts it (capstan dashboard) and shares its API types.
  dashboard: [],
  cli: [],
  // Argo CD's formats (Applications, tracking, argocd-cm) read and written without I/O.
  argocd: ['worker', 'cluster', 'git', 'charts', 'controller', 'server', 'dashboard', 'cli'],
};

const importDirection = Object.entries(forbiddenImports)
  .filter(([, banned]) => banned.length > 0)
  .map(([folder, banned]) => ({
    files: [`src/${folder}/**/*.ts`],
    ignores: ['src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: banned.map((b) => ({
            group: [`../${b}`, `../${b}/*`, `../../${b}`, `../../${b}/*`],
            message: `src/${folder} must not import src/${b} (DESIGN.md §6.1: imports go one way).`,
          })),
        },
      ],
    },
  }));

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.capstan/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
      // client-node models are classes, but the API takes and returns plain JSON objects.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },
  {
    // The dashboard's browser app: browser globals; typed with its own tsconfig (DOM, JSX), which
    // the project service finds as the nearest tsconfig.json.
    files: ['src/dashboard/ui/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  ...importDirection,
);
