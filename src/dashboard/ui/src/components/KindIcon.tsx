// The small coloured badge of a kind in the resource tree.
import { kindBadge } from '../kinds.js';

export function KindIcon({ kind }: { readonly kind: string }) {
  const badge = kindBadge(kind);
  return (
    <span class={`kind-icon kind-${badge.family}`} title={kind} aria-label={kind}>
      {badge.label}
    </span>
  );
}
