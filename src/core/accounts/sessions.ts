import { hashSessionToken, isWellFormedSessionToken, issueSessionToken } from "./session-token.js";
import type { SessionStore } from "./store.js";
import type { Clock, User, Viewer } from "./user.js";

/** Writing last-seen on every request would turn every read into a write; once a minute is enough. */
export const SESSION_TOUCH_INTERVAL_MS = 60_000;

export interface SessionSettings {
  /** A session ends after this long without use. */
  ttlDays: number;
  /**
   * And this long after it began, however much it is used: a stolen token that its thief
   * keeps busy still stops working.
   */
  maxAgeDays: number;
}

export interface OpenedSession {
  token: string;
  sessionId: number;
}

export interface Authentication {
  viewer: Viewer;
  /** Whether this request extended the session: the cookie's lifetime should follow. */
  extended: boolean;
}

export class SessionService {
  private readonly ttlMs: number;
  private readonly maxAgeMs: number;

  constructor(
    private readonly store: SessionStore,
    private readonly clock: Clock,
    private readonly settings: SessionSettings,
  ) {
    this.ttlMs = settings.ttlDays * 24 * 60 * 60 * 1000;
    this.maxAgeMs = settings.maxAgeDays * 24 * 60 * 60 * 1000;
  }

  get ttlSeconds(): number {
    return Math.floor(this.ttlMs / 1000);
  }

  async open(user: User): Promise<OpenedSession> {
    const { token, hash } = issueSessionToken();
    const sessionId = await this.store.create({
      tokenHash: hash,
      userId: user.id,
      now: this.clock().toISOString(),
    });
    return { token, sessionId };
  }

  /** The viewer a token proves, or null for an unknown, ended or expired token. */
  async authenticate(token: string): Promise<Authentication | null> {
    if (!isWellFormedSessionToken(token)) return null;
    const session = await this.store.findByTokenHash(hashSessionToken(token));
    if (!session) return null;
    const now = this.clock();
    const idleMs = now.getTime() - Date.parse(session.lastSeenAt);
    const ageMs = now.getTime() - Date.parse(session.createdAt);
    if (idleMs >= this.ttlMs || ageMs >= this.maxAgeMs) {
      await this.store.delete(session.id);
      return null;
    }
    const extended = idleMs >= SESSION_TOUCH_INTERVAL_MS;
    if (extended) await this.store.touch(session.id, now.toISOString());
    return {
      viewer: {
        user: session.user,
        sessionId: session.id,
        isAdmin: session.userIsAdmin,
      },
      extended,
    };
  }

  async end(sessionId: number): Promise<void> {
    await this.store.delete(sessionId);
  }

  /** Expired sessions are refused when presented anyway; this only keeps the table small. */
  async purgeExpired(): Promise<number> {
    return this.store.deleteIdleSince(new Date(this.clock().getTime() - this.ttlMs).toISOString());
  }
}
