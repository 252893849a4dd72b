/** A Verso account as the rest of Verso sees it; the id never changes, the username may. */
export interface User {
  id: number;
  /** Lower-case: unique case-insensitively. */
  username: string;
  displayName: string;
  bio: string;
  createdAt: string;
}

/** The signed-in user of a request, with the session that proved it. */
export interface Viewer {
  user: User;
  sessionId: number;
  isAdmin: boolean;
}

/** Injected so that session expiry and rate-limit windows can be tested without waiting. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
