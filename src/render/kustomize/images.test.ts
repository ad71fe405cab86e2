// setImages is checked against the real `kustomize edit set image` (the pinned binary): without it these tests fail.
import { afterAll, describe, expect, it } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import { TempTrees, runTool } from '../testing/tools.js';
import { parseImageOverride, setImage, setImages, type KustomizeImage } from './images.js';

const trees = new TempTrees('capstan-images-test');
afterAll(() => trees.remove());

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;

function parsed(text: string): KustomizeImage {
  const result = parseImageOverride(text);
  if (!result.ok) throw new Error(`"${text}" was refused: ${result.message}`);
  return result.image;
}

/** What `kustomize edit set image <overrides>` leaves in a kustomization that had `images`. */
async function kustomizeSetImage(images: readonly KustomizeImage[], overrides: readonly string[]): Promise<KustomizeImage[]> {
  const dir = await trees.make({ 'kustomization.yaml': yaml.dump({ resources: [], images }) });
  await runTool('kustomize', ['edit', 'set', 'image', ...overrides], dir);
  const written = yaml.load(await readFile(path.join(dir, 'kustomization.yaml'), 'utf8')) as { images?: KustomizeImage[] };
  return written.images ?? [];
}

describe('parseImageOverride', () => {
  it.each<[string, KustomizeImage]>([
    ['nginx=my/nginx:1.2', { name: 'nginx', newName: 'my/nginx', newTag: '1.2' }],
    [`nginx=my/nginx@${A}`, { name: 'nginx', newName: 'my/nginx', digest: A }],
    [`nginx=my/nginx:1.2@${A}`, { name: 'nginx', newName: 'my/nginx', newTag: '1.2', digest: A }],
    ['nginx=my/nginx', { name: 'nginx', newName: 'my/nginx' }],
    ['nginx=nginx:1.2', { name: 'nginx', newName: 'nginx', newTag: '1.2' }],
    ['nginx:1.2', { name: 'nginx', newTag: '1.2' }],
    [`nginx@${A}`, { name: 'nginx', digest: A }],
    [`nginx:1.2@${A}`, { name: 'nginx', newTag: '1.2', digest: A }],
    ['host:5000/app:1.2', { name: 'host:5000/app', newTag: '1.2' }],
    ['app=host:5000/team/app:1.2', { name: 'app', newName: 'host:5000/team/app', newTag: '1.2' }],
    [`host:5000/app@${A}`, { name: 'host:5000/app', digest: A }],
    ['nginx=:1.2', { name: 'nginx', newTag: '1.2' }],
    ['*=my/x:2', { name: '*', newName: 'my/x', newTag: '2' }],
    ['*:2', { name: '*', newTag: '2' }],
    ['nginx=*:2', { name: 'nginx', newName: '*', newTag: '2' }],
    ['nginx:*', { name: 'nginx', newTag: '*' }],
    ['nginx=new@*', { name: 'nginx', newName: 'new', digest: '*' }],
    ['  nginx:1.2  ', { name: 'nginx', newTag: '1.2' }],
  ])('reads %s', (text, image) => {
    expect(parseImageOverride(text)).toEqual({ ok: true, image });
  });

  it.each([
    ['', 'does not name an image'],
    ['nginx', 'sets no new name, tag or digest'],
    ['host:5000/app', 'sets no new name, tag or digest'],
    ['nginx=', 'sets no new name, tag or digest'],
    ['=my/nginx:1', 'does not name an image'],
    ['nginx:', 'has an empty tag'],
    ['nginx@', 'has an empty digest'],
    ['nginx@sha256:abc', 'has a digest that is not algorithm:hex'],
    ['nginx@latest', 'has a digest that is not algorithm:hex'],
    ['nginx:1:2', 'has a tag "1:2"'],
    ['nginx:1$', 'has a tag "1$"'],
    ['nginx:1/2', 'sets no new name, tag or digest'],
    ['ngi nx:1', 'does not name an image'],
    ['a=b=c:1', 'has a new name "b=c"'],
    ['a=my/../x:1', 'has a new name'],
    ['-a:1', 'does not name an image'],
  ])('refuses "%s"', (text, why) => {
    const result = parseImageOverride(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(why);
  });

  it.each(['nginx', 'host:5000/app', 'nginx:1/2'])('refuses "%s" as kustomize edit set image does', async (text) => {
    await expect(kustomizeSetImage([], [text])).rejects.toThrow('invalid format of image');
  });

  it.each(['nginx=my/nginx:1.2', `nginx=my/nginx:1.2@${A}`, 'nginx=my/nginx', 'nginx=nginx:1.2', `nginx@${A}`, 'host:5000/app:1.2', 'app=host:5000/app:1.2', '*=my/x:2'])(
    'writes %s as kustomize edit set image does',
    async (text) => {
      expect(setImages([], [parsed(text)])).toEqual(await kustomizeSetImage([], [text]));
    },
  );
});

describe('setImages', () => {
  const full: KustomizeImage = { name: 'nginx', newName: 'other', newTag: '1.0' };
  const digested: KustomizeImage = { name: 'nginx', newName: 'other', digest: B };

  it('adds an override of a new name beside the entries there, sorted by name', () => {
    expect(setImage([{ name: 'redis', newTag: '7' }], parsed('alpine:3'))).toEqual([{ name: 'alpine', newTag: '3' }, { name: 'redis', newTag: '7' }]);
  });

  it.each<[string, KustomizeImage[], string[]]>([
    ['a new tag drops the old digest and new name', [digested], ['nginx:1.2']],
    ['a new digest drops the old tag and new name', [full], [`nginx@${A}`]],
    ['a new name alone drops the old tag', [full], ['nginx=new']],
    ['a new name alone drops the old digest', [digested], ['nginx=new']],
    ['a new name and tag replace both', [digested], ['nginx=new:2']],
    ['"*" as the new name keeps the old one', [full], ['nginx=*:2']],
    ['"*" as the tag keeps the old one', [full], ['nginx=new:*']],
    ['"*" as the digest keeps the old one', [digested], ['nginx=new@*']],
    ['"*" with nothing to keep keeps nothing', [{ name: 'nginx', newTag: '1' }], ['nginx=*:2']],
    ['only the entry of the name changes, and the list is sorted', [{ name: 'zeta', newTag: '1' }, full, { name: 'alpha', digest: B }], ['nginx:2', 'beta:3']],
    ['of two overrides of a name, the later wins', [full], ['nginx:2', 'nginx=x:3']],
    ['a registry with a port is part of the name', [{ name: 'host:5000/app', newTag: '1' }], ['host:5000/app:2']],
  ])('%s, as kustomize edit set image does', async (_case, existing, overrides) => {
    const ours = setImages(existing, overrides.map(parsed));
    expect(ours).toEqual(await kustomizeSetImage(existing, overrides));
  });

  it('leaves the list it was given as it was', () => {
    const existing = [full];
    setImage(existing, parsed('nginx:2'));
    expect(existing).toEqual([{ name: 'nginx', newName: 'other', newTag: '1.0' }]);
  });
});

// The written kustomization must still be read by kustomize: an override applied through the file builds.
describe('an override written by setImages', () => {
  it('changes the image kustomize build writes', async () => {
    const dir = await trees.make({
      'deploy.yaml': yaml.dump({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'host:5000/app:1' }] } } } }),
    });
    await writeFile(path.join(dir, 'kustomization.yaml'), yaml.dump({ resources: ['deploy.yaml'], images: setImages([], [parsed(`host:5000/app=registry.example/app:2@${A}`)]) }));
    const built = await runTool('kustomize', ['build', '.'], dir);
    expect(built).toContain(`image: registry.example/app:2@${A}`);
  });
});
