/** Turns git's exit status and stderr into a `GitFailure` with a one-line, credential-free message. */
import type { GitRunResult } from './run-git.js';
import type { GitFailure } from './types.js';
import { knownHostsConfigMap } from '../credentials/git-setup.js';
import { redactText, redactUrl } from './url.js';

type FailedRun = Extract<GitRunResult, { ok: false }>;

/** git's wording when credentials are missing, wrong, or refused (messages run with LC_ALL=C). */
const authenticationPatterns = [
  /authentication failed/i,
  /could not read (username|password)/i,
  /terminal prompts disabled/i,
  /permission denied \((publickey|password|keyboard-interactive)/i,
  /permission denied, please try again/i,
  /HTTP Basic: Access denied/i,
  /returned error: 40[13]\b/i,
  /invalid (username|credentials)/i,
  // An unknown ssh host key is a trust setting of the same kind as a key or a password.
  /host key verification failed/i,
];

/** The repository does not exist there, or the host cannot be reached. */
const notFoundPatterns = [
  /does not appear to be a git repository/i,
  /repository .* not found/i,
  /not exported/i,
  /returned error: 404\b/i,
  /could not resolve (host|hostname)/i,
  /name or service not known/i,
  /connection refused/i,
  /failed to connect/i,
  /unable to connect/i,
  /couldn't connect/i,
  /network is unreachable/i,
  /no route to host/i,
  /connection timed out/i,
  /unable to access/i,
  /could not read from remote repository/i,
];

const maxReasonLength = 300;

export interface FailureContext {
  /** What git was doing, for the message: 'ls-remote', 'fetch', ... */
  readonly operation: string;
  readonly repoURL: string;
  readonly timeoutMs: number;
}

/** Classifies a failed command that talked to the remote (ls-remote, clone, fetch). */
export function remoteFailure(run: FailedRun, context: FailureContext): GitFailure {
  const repo = redactUrl(context.repoURL);
  if (run.reason === 'timeout') {
    return { code: 'Timeout', message: `git ${context.operation} of ${repo} timed out after ${context.timeoutMs} ms` };
  }
  if (run.reason === 'overflow') return overflowFailure(run.limitBytes, context);
  const hostKey = hostKeyFailure(run.stderr);
  if (hostKey !== undefined) return { code: 'AuthenticationFailed', message: `ssh to repository ${repo} refused: ${hostKey}` };
  const auth = matchingLine(run.stderr, authenticationPatterns);
  if (auth !== undefined) {
    return { code: 'AuthenticationFailed', message: `authentication to repository ${repo} failed: ${auth}` };
  }
  const notFound = matchingLine(run.stderr, notFoundPatterns);
  if (notFound !== undefined) {
    return { code: 'RepoNotFound', message: `repository ${repo} not found or not reachable: ${notFound}` };
  }
  return { code: 'GitError', message: `git ${context.operation} of ${repo} failed: ${failureReason(run)}` };
}

/** ssh's words for a host key it does not know, or one that changed, said as what to do about it. */
function hostKeyFailure(stderr: string): string | undefined {
  const unknown = /No \S+ host key is known for (\S+) and you have requested strict checking/i.exec(stderr);
  if (unknown !== null) return `the host key of ${hostName(unknown[1] ?? '')} is not in the ConfigMap ${knownHostsConfigMap}`;
  const changed = /Host key for (\S+) has changed and you have requested strict checking/i.exec(stderr);
  if (changed !== null) return `the host key of ${hostName(changed[1] ?? '')} does not match the one in the ConfigMap ${knownHostsConfigMap}`;
  return undefined;
}

/** `[127.0.0.1]:2222` → `127.0.0.1:2222`. */
function hostName(text: string): string {
  return oneLine(text.replace(/^\[([^\]]*)\](:\d+)?$/, '$1$2'));
}

/** A failed local command (rev-parse, read-tree, ...): always GitError, or Timeout. */
export function localFailure(run: FailedRun, context: FailureContext): GitFailure {
  if (run.reason === 'timeout') {
    return { code: 'Timeout', message: `git ${context.operation} timed out after ${context.timeoutMs} ms` };
  }
  if (run.reason === 'overflow') return overflowFailure(run.limitBytes, context);
  return { code: 'GitError', message: `git ${context.operation} for ${redactUrl(context.repoURL)} failed: ${failureReason(run)}` };
}

export function revisionNotFound(revision: string, repoURL: string, detail = 'not found'): GitFailure {
  return { code: 'RevisionNotFound', message: `revision "${oneLine(revision)}" ${detail} in repository ${redactUrl(repoURL)}` };
}

/** A URL Capstan does not hand to git; `reason` never quotes the URL. */
export function invalidRepoUrl(repoURL: string, reason: string): GitFailure {
  return { code: 'InvalidRepoURL', message: `repository URL "${oneLine(redactUrl(repoURL))}" is refused: ${reason}` };
}

function overflowFailure(limitBytes: number, context: FailureContext): GitFailure {
  const limit = limitBytes >= 1024 * 1024 ? `${Math.round(limitBytes / 1024 / 1024)} MiB` : `${limitBytes} bytes`;
  const what = context.operation === 'ls-remote' ? ' (the repository lists too many refs)' : '';
  return { code: 'GitError', message: `git ${context.operation} of ${redactUrl(context.repoURL)} printed more than ${limit}${what}; stopped` };
}

export function gitError(message: string): GitFailure {
  return { code: 'GitError', message: oneLine(redactText(message)) };
}

/** The most telling line of git's stderr: the first fatal/error line, else the first line. */
export function failureReason(run: FailedRun): string {
  const lines = meaningfulLines(run.stderr);
  const reason = lines.find((line) => /^(fatal|error):/i.test(line)) ?? lines[0];
  if (reason !== undefined) return clean(reason);
  if (run.reason === 'exit') return `git exited with code ${run.exitCode ?? 'unknown'}`;
  return run.reason === 'overflow' ? 'git printed too much' : 'git could not be started';
}

function matchingLine(stderr: string, patterns: readonly RegExp[]): string | undefined {
  const line = meaningfulLines(stderr).find((l) => patterns.some((p) => p.test(l)));
  return line === undefined ? undefined : clean(line);
}

function meaningfulLines(text: string): string[] {
  return text
    .split(/\r?\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^hint:/i.test(line));
}

function clean(line: string): string {
  return oneLine(redactText(line.replace(/^(fatal|error):\s*/i, '')));
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > maxReasonLength ? `${flat.slice(0, maxReasonLength - 1)}…` : flat;
}
