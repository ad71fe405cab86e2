/** One entry of a kustomization's `images` list. */
export interface KustomizeImage {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

export type ParsedImage = { ok: true; image: KustomizeImage } | { ok: false; message: string };

interface Reference {
  name: string;
  tag?: string;
  digest?: string;
}

/** `registry:5000/app:1.2@sha256:…` → name, tag, digest. A ':' before the last '/' is a registry port, not a tag. */
function splitReference(text: string): Reference {
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const colon = rest.lastIndexOf(':');
  let tag: string | undefined;
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { name: rest, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}

const namePattern = /^[a-zA-Z0-9][a-zA-Z0-9._\-/:]*$|^\*$/;

/**
 * An image override as Argo CD writes it (`kustomize edit set image` syntax): `name=newName:tag`,
 * `name=newName@digest`, `name=newName`, `name:tag`, `name@digest`.
 */
export function parseImageOverride(text: string): ParsedImage {
  const trimmed = text.trim();
  const eq = trimmed.indexOf('=');
  const target = eq >= 0 ? trimmed.slice(0, eq) : undefined;
  const ref = splitReference(eq >= 0 ? trimmed.slice(eq + 1) : trimmed);
  const name = target ?? ref.name;
  if (name === '' || !namePattern.test(name)) return { ok: false, message: `image override "${text}" does not name an image` };
  if (ref.tag === '' || ref.digest === '') return { ok: false, message: `image override "${text}" has an empty tag or digest` };
  if (ref.digest !== undefined && !/^[a-z0-9]+:[a-fA-F0-9]{32,}$/.test(ref.digest)) return { ok: false, message: `image override "${text}" has a digest that is not algorithm:hex` };
  const image: KustomizeImage = { name };
  if (target !== undefined && ref.name !== '' && ref.name !== target) image.newName = ref.name;
  if (ref.tag !== undefined) image.newTag = ref.tag;
  if (ref.digest !== undefined) image.digest = ref.digest;
  return { ok: true, image };
}

/**
 * The kustomization's images with `override` set: an entry of the same name is updated (a new
 * tag drops the digest and the other way round, as `kustomize edit set image` does), else added.
 */
export function setImage(images: readonly KustomizeImage[], override: KustomizeImage): KustomizeImage[] {
  const index = images.findIndex((i) => i.name === override.name);
  if (index < 0) return [...images, override];
  const merged: KustomizeImage = { ...images[index], ...override };
  if (override.newTag !== undefined && override.digest === undefined) delete merged.digest;
  if (override.digest !== undefined && override.newTag === undefined) delete merged.newTag;
  return images.map((image, i) => (i === index ? merged : image));
}
