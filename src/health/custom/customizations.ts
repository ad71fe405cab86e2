import picomatch from 'picomatch';
import type { HealthScript } from '../lua/runner.js';

/**
 * The key Argo CD matches health scripts by: `group/Kind`, or `Kind` alone for the core group.
 */
export function groupKindKey(group: string, kind: string): string {
  return group === '' ? kind : `${group}/${kind}`;
}

/** One health script for the kinds `pattern` names (a `group/Kind` key, possibly with wildcards). */
export interface HealthCustomization {
  readonly pattern: string;
  readonly script: HealthScript;
}

interface WildcardEntry {
  readonly matches: (key: string) => boolean;
  readonly script: HealthScript;
}

const wildcardCharacters = /[*?[\]{}]/;

/**
 * The health scripts by kind, looked up as Argo CD does: a script whose key is the kind's own
 * `group/Kind` first; otherwise the first wildcard key that matches, in the order given
 * (callers sort them, so the choice is the same on every run).
 */
export class HealthCustomizations {
  private readonly exact = new Map<string, HealthScript>();
  private readonly wildcards: WildcardEntry[] = [];
  private fallback: HealthCustomizations | undefined;

  /**
   * `wildcardSeparator`: in Argo CD's argocd-cm a `*` matches any text, `/` included; in its
   * directory tree (`_` for `*`) a `*` stays within one path segment.
   */
  constructor(entries: readonly HealthCustomization[], options: { wildcardCrossesSlash: boolean }) {
    for (const { pattern, script } of entries) {
      if (!wildcardCharacters.test(pattern)) {
        if (!this.exact.has(pattern)) this.exact.set(pattern, script);
        continue;
      }
      // picomatch's `bash` mode takes a single `*` for a globstar: it crosses `/`.
      this.wildcards.push({ matches: picomatch(pattern, { dot: true, nonegate: true, bash: options.wildcardCrossesSlash }), script });
    }
  }

  static readonly none = new HealthCustomizations([], { wildcardCrossesSlash: true });

  /** These customizations, and for a kind they have no script for, `fallback`'s (another ConfigMap's). */
  over(fallback: HealthCustomizations): HealthCustomizations {
    if (fallback.size === 0) return this;
    if (this.size === 0) return fallback;
    const layered = new HealthCustomizations([], { wildcardCrossesSlash: true });
    for (const [key, script] of this.exact) layered.exact.set(key, script);
    layered.wildcards.push(...this.wildcards);
    layered.fallback = this.fallback === undefined ? fallback : this.fallback.over(fallback);
    return layered;
  }

  get size(): number {
    return this.exact.size + this.wildcards.length + (this.fallback?.size ?? 0);
  }

  scriptFor(group: string, kind: string): HealthScript | undefined {
    const key = groupKindKey(group, kind);
    return this.exact.get(key) ?? this.wildcards.find((w) => w.matches(key))?.script ?? this.fallback?.scriptFor(group, kind);
  }
}
