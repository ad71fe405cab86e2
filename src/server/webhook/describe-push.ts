/** Short, printable descriptions of a push for the refresh reason and the logs. */
import type { PushEvent, WebhookProvider } from './types.js';

const maxFieldLength = 100;

/**
 * Characters that never reach a reason or a log field: C0/C1 controls, format characters (the
 * bidi embeddings, overrides and isolates, zero-width joiners, the BOM), line and paragraph
 * separators, and lone surrogates. What is left reads the same in a terminal, a YAML view and
 * an Event list as it does here.
 */
const unprintable = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/**
 * e.g. `webhook: github push to refs/heads/main (abc1234) by octocat`. Built only from payload
 * fields of a push whose signature was verified, never secrets.
 */
export function pushReason(push: PushEvent): string {
  const parts = [`webhook: ${push.provider} push`];
  if (push.ref !== undefined) parts.push(`to ${printable(push.ref)}`);
  if (push.revision !== undefined) parts.push(`(${shortRevision(push.revision)})`);
  if (push.sender !== undefined) parts.push(`by ${printable(push.sender, 64)}`);
  return parts.join(' ');
}

/**
 * The reason of a push nobody vouches for (accepted unsigned with --webhook-allow-unsigned):
 * nothing from its payload, which anyone could have written.
 */
export function unverifiedPushReason(provider: WebhookProvider): string {
  return `webhook: unverified ${provider} push`;
}

/** A commit SHA shortened to 7 characters; any other revision (a branch name) kept, bounded. */
export function shortRevision(revision: string): string {
  return /^[0-9a-f]{7,64}$/i.test(revision) ? revision.slice(0, 7) : printable(revision, 40);
}

/** Payload and header text without unprintable characters and bounded in length, safe for one line. */
export function printable(value: string, maxLength = maxFieldLength): string {
  // Only a bounded prefix is looked at: a payload string may be a megabyte long.
  const window = maxLength * 8;
  const clean = Array.from(value.slice(0, window).replace(unprintable, ''));
  if (clean.length <= maxLength && value.length <= window) return clean.join('');
  return `${clean.slice(0, maxLength - 1).join('')}…`;
}
