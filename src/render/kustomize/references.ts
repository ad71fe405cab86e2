import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import { isRecord } from '../../api/object.js';
import { isWithin } from '../paths.js';
import type { RenderError } from '../types.js';

/** The file names kustomize reads as a kustomization, in the order it looks for them. */
export const kustomizationFileNames = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

/** The kustomization file of a directory, or undefined when it has none. */
export async function findKustomization(dir: string): Promise<string | undefined> {
  for (const name of kustomizationFileNames) {
    const file = path.join(dir, name);
    if (await stat(file).then((s) => s.isFile(), () => false)) return file;
  }
  return undefined;
}

/**
 * Would kustomize fetch this reference (`git clone` or HTTP) rather than read it from the tree?
 * At least every reference kustomize takes for a repository or a URL: one with a scheme (after
 * the `git::` prefix kustomize strips), an scp-like `user@host:path` or `user@host/path`, or a
 * path on GitHub (`github.com/…`, `github.com:…`, any case); more that look remote are refused too.
 */
export function isRemoteReference(ref: string): boolean {
  const n = ref.replace(/^git::/i, '');
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(n)
    || /^[\w.-]+@[^/:]*[/:]/.test(n)
    || /^(github\.com|gitlab\.com|bitbucket\.org)[/:]/i.test(n)
    || n.includes('?ref=') || n.includes('?version=') || n.includes('.git//');
}

/** A `file://` repository: a git clone of a directory of the controller's machine, never allowed. */
function isLocalRepository(ref: string): boolean {
  return /^(git::)?file:\/\//i.test(ref);
}

/** Every path a kustomization names: resources, bases, components, patches and generator files. */
export function referencedPaths(k: Record<string, unknown>): { dirsOrFiles: string[]; files: string[] } {
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const records = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isRecord) : []);
  const dirsOrFiles = [...strings(k.resources), ...strings(k.bases), ...strings(k.components)];
  const files: string[] = [...strings(k.crds), ...strings(k.configurations)];
  // A patchesStrategicMerge entry is a path or an inline patch: only one-line entries are paths.
  files.push(...strings(k.patchesStrategicMerge).filter((p) => !p.includes('\n')));
  for (const list of [k.patches, k.patchesJson6902, k.replacements]) for (const p of records(list)) if (typeof p.path === 'string') files.push(p.path);
  for (const list of [k.configMapGenerator, k.secretGenerator]) {
    for (const g of records(list)) {
      // `files: [key=path]`, `envs: [path]`, and the old single `env: path`.
      files.push(...strings(g.files).map((f) => (f.includes('=') ? f.slice(f.indexOf('=') + 1) : f)), ...strings(g.envs));
      if (typeof g.env === 'string') files.push(g.env);
    }
  }
  for (const list of [k.generators, k.transformers, k.validators]) files.push(...strings(list).filter((p) => !p.includes('\n')));
  if (isRecord(k.openapi) && typeof k.openapi.path === 'string') files.push(k.openapi.path);
  if (isRecord(k.helmGlobals) && typeof k.helmGlobals.chartHome === 'string') files.push(k.helmGlobals.chartHome);
  return { dirsOrFiles, files };
}

export interface ReferenceCheckOptions {
  /** Remote bases and resources may be fetched (--kustomize-allow-remote). */
  readonly allowRemote: boolean;
  /** Most kustomizations followed (a bound on hostile graphs). */
  readonly maxKustomizations?: number;
}

const relative = (root: string, p: string): string => path.relative(root, p).split(path.sep).join('/') || '.';

/**
 * Follows the kustomizations from `sourceDir` and refuses any reference that would take the
 * build outside the repository (a path through '..' or a symlink out of it), and remote
 * references unless they are allowed. kustomize's load restrictor keeps files inside each
 * kustomization's root; this keeps whole directories inside the repository too.
 */
export async function checkKustomizeReferences(root: string, sourceDir: string, options: ReferenceCheckOptions): Promise<RenderError[]> {
  const realRoot = await realpath(root);
  const seen = new Set<string>();
  // Every directory followed is a real path, so a reference to something missing is judged by where it would be.
  const start = await realpath(sourceDir).catch(() => sourceDir);
  const queue = [start];
  const errors: RenderError[] = [];
  const max = options.maxKustomizations ?? 1000;
  while (queue.length > 0 && errors.length === 0) {
    const dir = queue.shift() as string;
    if (seen.has(dir)) continue;
    seen.add(dir);
    if (seen.size > max) return [{ code: 'TooLarge', file: relative(realRoot, start), message: `the kustomization refers to more than ${max} kustomizations` }];
    const file = await findKustomization(dir);
    if (file === undefined) continue;
    let parsed: unknown;
    try {
      parsed = yaml.load(await readFile(file, 'utf8'), { json: true });
    } catch {
      continue; // kustomize says what is wrong with it
    }
    if (!isRecord(parsed)) continue;
    const at = relative(realRoot, file);
    const refs = referencedPaths(parsed);
    for (const ref of [...refs.dirsOrFiles, ...refs.files]) {
      if (isLocalRepository(ref)) {
        errors.push({ code: 'PathEscapesRepository', file: at, message: `refers to "${ref}", a git repository outside the repository` });
        continue;
      }
      if (isRemoteReference(ref)) {
        if (!options.allowRemote) errors.push({ code: 'RemoteRefused', file: at, message: `refers to the remote "${ref}"; remote bases are fetched only when the controller runs with --kustomize-allow-remote` });
        continue;
      }
      const target = path.resolve(dir, ref);
      const real = await realpath(target).catch(() => undefined);
      if (!isWithin(realRoot, real ?? target)) {
        errors.push({ code: 'PathEscapesRepository', file: at, message: `refers to "${ref}", which is outside the repository` });
        continue;
      }
      if (real !== undefined && refs.dirsOrFiles.includes(ref) && (await stat(real)).isDirectory()) queue.push(real);
    }
  }
  return errors;
}
