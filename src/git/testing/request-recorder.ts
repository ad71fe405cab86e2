/** Records the requests a RepoCache reports through onRequest, and the git commands it logs. */
import type { GitLogger, GitRequestKind } from '../types.js';

export interface RecordedRequest {
  readonly kind: GitRequestKind;
  readonly repoURL: string;
  readonly ok: boolean;
}

export class RequestRecorder {
  readonly requests: RecordedRequest[] = [];
  /** Every git command line the cache ran (from its debug log). */
  readonly commands: string[][] = [];
  readonly warnings: string[] = [];

  readonly onRequest = (kind: GitRequestKind, repoURL: string, _durationMs: number, ok: boolean): void => {
    this.requests.push({ kind, repoURL, ok });
  };

  readonly logger: GitLogger = {
    debug: (obj: object, msg?: string) => {
      if (msg === 'git command' && 'args' in obj && Array.isArray(obj.args)) this.commands.push(obj.args.map(String));
    },
    warn: (obj: object, msg?: string) => {
      this.warnings.push(`${msg ?? ''} ${JSON.stringify(obj)}`);
    },
  };

  count(kind: GitRequestKind): number {
    return this.requests.filter((r) => r.kind === kind).length;
  }
}
