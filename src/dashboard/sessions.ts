// Who is signed in: a random session id (in an HttpOnly cookie) per browser, each with the
// client its API calls are made with.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AppClient } from '../cli/app/client.js';

export interface Session {
  readonly user: string;
  /** Makes every API call of this session: the user's own credentials. */
  readonly client: AppClient;
  readonly expiresAt: number;
}

export const sessionCookie = 'capstan_session';

/** How long a session lasts after sign-in. */
export const sessionTtlMs = 12 * 60 * 60 * 1000;

export const randomToken = (): string => randomBytes(32).toString('base64url');

/** Compares secrets in time that does not depend on where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    /** Closes a session's client when it ends (not the shared one of local mode). */
    private readonly closeClient: (client: AppClient) => void,
    private readonly now: () => number = Date.now,
  ) {}

  create(user: string, client: AppClient): string {
    this.sweep();
    const id = randomToken();
    this.sessions.set(id, { user, client, expiresAt: this.now() + sessionTtlMs });
    return id;
  }

  get(id: string | undefined): Session | undefined {
    if (id === undefined) return undefined;
    const session = this.sessions.get(id);
    if (session === undefined) return undefined;
    if (session.expiresAt > this.now()) return session;
    this.end(id);
    return undefined;
  }

  end(id: string): void {
    const session = this.sessions.get(id);
    if (session === undefined) return;
    this.sessions.delete(id);
    this.closeClient(session.client);
  }

  endAll(): void {
    for (const id of [...this.sessions.keys()]) this.end(id);
  }

  private sweep(): void {
    for (const [id, s] of this.sessions) if (s.expiresAt <= this.now()) this.end(id);
  }
}
