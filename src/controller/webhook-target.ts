/**
 * What a webhook receiver asks of the controller (the receiver lives in server/, which may
 * import controller/, not the other way round; this shape matches its WebhookTarget port).
 */
export interface WebhookTarget {
  /** Keys ('ns/name') of the Applications whose repoURL is one of these (normalizeRepoUrl form). */
  applicationsFor(normalizedUrls: readonly string[]): string[];
  /**
   * Forget cached revisions of these repositories and reconcile the apps now, recording why.
   * `repoUrls` are URLs as the payload gave them (credentials removed), one per repository: the
   * repo cache normalises them itself.
   */
  refresh(appKeys: readonly string[], repoUrls: readonly string[], reason: string): void;
}
