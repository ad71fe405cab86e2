/** Short, printable descriptions of a push for the refresh reason and the logs. */
import type { PushEvent } from './types.js';

const maxFieldLength = 100;

/** e.g. `webhook: github push to refs/heads/main (abc1234) by octocat`. Built only from payload fields, never secrets. */
export function pushReason(push: PushEvent): string {
  const parts = [`webhook: ${push.provider} push`];
  if (push.ref !== undefined) parts.push(`to ${printable(push.ref)}`);
  if (push.revision !== undefined) parts.push(`(${shortRevision(push.revision)})`);
  if (push.sender !== undefined) parts.push(`by ${printable(push.sender)}`);
  return parts.join(' ');
}

/** A commit SHA shortened to 7 characters; any other revision (a branch name) kept, bounded. */
export function shortRevision(revision: string): string {
  return /^[0-9a-f]{7,64}$/i.test(revision) ? revision.slice(0, 7) : printable(revision);
}

/** Payload and header text without control characters and bounded in length, safe for one log line. */
export function printable(value: string, maxLength = maxFieldLength): string {
  const clean = value.replace(/\p{Cc}/gu, '');
  return clean.length <= maxLength ? clean : `${clean.slice(0, maxLength - 1)}…`;
}
