/** One entry of a kustomization's `images` list. */
export interface KustomizeImage {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

export type ParsedImage = { ok: true; image: KustomizeImage } | { ok: false; message: string };

/** A new name, tag or digest of `*` keeps the one the kustomization already has. */
export const PRESERVE = '*';

interface Reference {
  name: string;
  tag?: string;
  digest?: string;
}

/**
 * `registry:5000/app:1.2@sha256:…` → name, tag, digest, split as kustomize splits it: the tag
 * and digest are looked for after the first '/' only, so a registry's port is not a tag.
 */
function splitReference(text: string): Reference {
  const slash = text.indexOf('/');
  const from = slash > 0 ? slash : 0;
  const search = text.slice(from);
  const at = search.indexOf('@');
  const colon = search.indexOf(':');
  if (at < 0 && colon < 0) return { name: text };
  if (at >= 0 && (colon < 0 || at < colon)) return { name: text.slice(0, from + at), digest: text.slice(from + at + 1) };
  if (at >= 0) return { name: text.slice(0, from + colon), tag: text.slice(from + colon + 1, from + at), digest: text.slice(from + at + 1) };
  return { name: text.slice(0, from + colon), tag: text.slice(from + colon + 1) };
}

/** `[host[:port]/]path/of/image`, or `*`. */
const namePattern = /^(?:(?:[a-zA-Z0-9][a-zA-Z0-9.-]*(?::\d+)?\/)?[a-zA-Z0-9][a-zA-Z0-9._-]*(?:\/[a-zA-Z0-9][a-zA-Z0-9._-]*)*|\*)$/;
const tagPattern = /^(?:[\w][\w.-]{0,127}|\*)$/;
const digestPattern = /^(?:[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}|\*)$/;

/**
 * An image override as Argo CD passes it to `kustomize edit set image`: `name=newName:tag`,
 * `name=newName@digest`, `name=newName:tag@digest`, `name=newName`, `name:tag`, `name@digest`
 * (with `*` as the new name, tag or digest keeping the kustomization's). One that sets nothing
 * (`name`), or whose name, tag or digest could not be an image's, is refused.
 */
export function parseImageOverride(text: string): ParsedImage {
  const trimmed = text.trim();
  const refuse = (why: string): ParsedImage => ({ ok: false, message: `image override "${text}" ${why}` });
  const eq = trimmed.indexOf('=');
  const target = eq >= 0 ? trimmed.slice(0, eq) : undefined;
  const ref = splitReference(eq >= 0 ? trimmed.slice(eq + 1) : trimmed);
  const name = target ?? ref.name;
  if (name === '' || !namePattern.test(name)) return refuse('does not name an image');
  if (target !== undefined && ref.name !== '' && !namePattern.test(ref.name)) return refuse(`has a new name "${ref.name}" that is not an image name`);
  if (ref.tag !== undefined && !tagPattern.test(ref.tag)) return refuse(ref.tag === '' ? 'has an empty tag' : `has a tag "${ref.tag}" that is not letters, digits, '.', '_' and '-'`);
  if (ref.digest !== undefined && !digestPattern.test(ref.digest)) return refuse(ref.digest === '' ? 'has an empty digest' : 'has a digest that is not algorithm:hex');
  const image: KustomizeImage = { name };
  if (target !== undefined && ref.name !== '') image.newName = ref.name;
  if (ref.tag !== undefined) image.newTag = ref.tag;
  if (ref.digest !== undefined) image.digest = ref.digest;
  if (image.newName === undefined && image.newTag === undefined && image.digest === undefined) return refuse('sets no new name, tag or digest (use name=newName, name:tag or name@digest)');
  return { ok: true, image };
}

/**
 * The kustomization's images with `overrides` set, as `kustomize edit set image` leaves them:
 * an override replaces the whole entry of its name (a new tag drops the old digest, and the
 * other way round), except where it gives `*`, which keeps that field of the old entry; other
 * entries stay; the list is sorted by name. Of two overrides of the same name, the later wins.
 */
export function setImages(images: readonly KustomizeImage[], overrides: readonly KustomizeImage[]): KustomizeImage[] {
  const wanted = new Map(overrides.map((o) => [o.name, o]));
  const byName = new Map(wanted);
  for (const existing of images) {
    const override = wanted.get(existing.name);
    if (override === undefined) {
      byName.set(existing.name, existing);
      continue;
    }
    byName.set(existing.name, {
      name: override.name,
      newName: override.newName === PRESERVE ? existing.newName : override.newName,
      newTag: override.newTag === PRESERVE ? existing.newTag : override.newTag,
      digest: override.digest === PRESERVE ? existing.digest : override.digest,
    });
  }
  // A `*` with nothing to keep keeps nothing.
  const kept = (value: string | undefined): string | undefined => (value === undefined || value === '' || value === PRESERVE ? undefined : value);
  const cleaned = [...byName.values()].map((image) => {
    const { newName, newTag, digest, ...rest } = image;
    const out: KustomizeImage = { ...rest };
    if (kept(newName) !== undefined) out.newName = newName;
    if (kept(newTag) !== undefined) out.newTag = newTag;
    if (kept(digest) !== undefined) out.digest = digest;
    return out;
  });
  return cleaned.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The kustomization's images with one override set (setImages of one). */
export function setImage(images: readonly KustomizeImage[], override: KustomizeImage): KustomizeImage[] {
  return setImages(images, [override]);
}
