/**
 * Capstan's `initiatedBy` text ↔ Argo CD's OperationInitiator {username?, automated?}.
 *
 *   'automated', 'automated (self-heal)', 'automated (retry)'  → { automated: true }
 *   'user (alice)'                                             → { username: 'alice' }
 *   'approved by alice (plan 3f2a…)'                           → { username: 'alice' }
 *   anything else ('deletion')                                 → { username: <the text> }
 *
 * Back: { automated: true } → 'automated'; a username that is a plain name → 'user (<name>)',
 * any other username as it is. The qualifiers of automated syncs and of approvals are lost.
 */
import type { ArgoOperationInitiator } from './types.js';

const userPattern = /^user \((.*)\)$/s;
const approvedPattern = /^approved by (.+) \(plan [^)]*\)$/s;
const plainName = /^[^\s()]+$/;

export function toArgoInitiator(initiatedBy: string | undefined): ArgoOperationInitiator {
  if (initiatedBy === undefined || initiatedBy === 'automated' || initiatedBy.startsWith('automated ')) return { automated: true };
  const user = userPattern.exec(initiatedBy) ?? approvedPattern.exec(initiatedBy);
  return { username: user?.[1] ?? initiatedBy };
}

export function fromArgoInitiator(initiator: ArgoOperationInitiator | undefined): string {
  if (initiator?.automated === true) return 'automated';
  const username = initiator?.username ?? '';
  if (username === '') return 'unknown';
  return plainName.test(username) ? `user (${username})` : username;
}
