// Where the built front end is: dist/dashboard-ui beside the compiled code (npm package and
// image), which is also where `npm run build:dashboard` writes it when run from the sources.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** src/dashboard/ and dist/dashboard/ are both two levels under the package root. */
export function defaultAssetsDir(): string {
  return fileURLToPath(new URL('../../dist/dashboard-ui/', import.meta.url));
}

export function checkAssets(dir: string): void {
  if (!existsSync(`${dir}/index.html`)) throw new Error(`the dashboard's front end is not built (no ${dir}/index.html): run \`npm run build:dashboard\``);
}
