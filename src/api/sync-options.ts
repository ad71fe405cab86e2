/**
 * The values each sync option accepts (lower case), Argo CD's names and meanings. An option
 * not listed here, or a value not listed for it, is refused: Capstan never takes an option it
 * does not act on. `Validate=false` lets the API server drop unknown fields instead of refusing
 * them (Capstan, like kubectl, validates strictly otherwise). `ServerSideApply=true` and
 * `ServerSideDiff=true` name what Capstan always does (server-side apply, a server-side dry-run
 * diff), so they are accepted; their opposites are refused.
 */
export const resourceOptionValues: Readonly<Record<string, readonly string[]>> = {
  Prune: ['true', 'false', 'confirm'],
  Delete: ['true', 'false', 'confirm'],
  PruneLast: ['true', 'false'],
  ServerSideApply: ['true'],
  Replace: ['true', 'false'],
  Force: ['true', 'false'],
  SkipDryRunOnMissingResource: ['true', 'false'],
  Validate: ['false'],
};

export const appOptionValues: Readonly<Record<string, readonly string[]>> = {
  CreateNamespace: ['true', 'false'],
  PruneLast: ['true', 'false'],
  ApplyOutOfSyncOnly: ['true', 'false'],
  ServerSideApply: ['true'],
  Replace: ['true', 'false'],
  FailOnSharedResource: ['true', 'false'],
  PrunePropagationPolicy: ['foreground', 'background', 'orphan'],
  RespectIgnoreDifferences: ['true', 'false'],
  Validate: ['false'],
};

export const compareOptionValues: Readonly<Record<string, readonly string[]>> = {
  IgnoreExtraneous: ['true'],
  ServerSideDiff: ['true'],
  IncludeMutationWebhook: ['true'],
};

/** Problems with an option list: 'Frobnicate=true is not a sync option Capstan supports', one per entry. */
export function unsupportedOptions(options: Map<string, string>, allowed: Readonly<Record<string, readonly string[]>>, what: string): string[] {
  const problems: string[] = [];
  for (const [key, value] of options) {
    const values = allowed[key];
    if (values === undefined) problems.push(`${key} is not a ${what} Capstan supports (supported: ${Object.keys(allowed).join(', ')})`);
    else if (!values.includes(value.toLowerCase())) problems.push(`${key}=${value} is not supported (accepted: ${values.join(', ')})`);
  }
  return problems;
}

