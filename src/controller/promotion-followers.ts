import { primarySource, type Application } from '../api/application.js';
import { conditionTypes } from '../api/conditions.js';

/**
 * Which apps follow which (spec.promotion.after), by `namespace/name`, kept from the Application
 * watch, so that a change of a followed app's sync or health reaches its followers at once.
 */
export class PromotionFollowers {
  private readonly byFollowed = new Map<string, Set<string>>();
  private readonly followedBy = new Map<string, string>();

  /** The app (undefined: deleted) as it is now. */
  update(key: string, app: Application | undefined): void {
    const before = this.followedBy.get(key);
    const after = app?.spec.promotion?.after.application;
    const followed = app === undefined || after === undefined || after === '' ? undefined : `${app.metadata.namespace ?? ''}/${after}`;
    if (before === followed) return;
    if (before !== undefined) {
      const set = this.byFollowed.get(before);
      set?.delete(key);
      if (set?.size === 0) this.byFollowed.delete(before);
    }
    if (followed === undefined) {
      this.followedBy.delete(key);
      return;
    }
    this.followedBy.set(key, followed);
    let set = this.byFollowed.get(followed);
    if (set === undefined) this.byFollowed.set(followed, (set = new Set()));
    set.add(key);
  }

  followersOf(key: string): string[] {
    return [...(this.byFollowed.get(key) ?? [])];
  }
}

/** Did what a follower reads of the app change: its repository, sync (status, revision), health, operation phase or Ready? */
export function promotionStateChanged(app: Application | undefined, old: Application | undefined): boolean {
  return promotionState(app) !== promotionState(old);
}

function promotionState(a: Application | undefined): string {
  if (a === undefined) return '';
  const s = a.status;
  const ready = s?.conditions?.find((c) => c.type === conditionTypes.ready);
  return JSON.stringify([primarySource(a.spec).repoURL, s?.sync?.status, s?.sync?.revision, s?.health?.status, s?.operationState?.phase, ready?.status, ready?.lastTransitionTime]);
}
