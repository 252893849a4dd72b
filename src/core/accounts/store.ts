/** What the accounts domain needs from storage; the SQL adapter implements it per dialect. */
import type { User } from "./user.js";

export interface NewUser {
  username: string;
  passwordHash: string;
  createdAt: string;
}

export interface ProfileChanges {
  username?: string;
  displayName?: string;
  bio?: string;
}

export interface UserStore {
  /** Throws USERNAME_TAKEN when the username exists, also when a concurrent insert won. */
  create(user: NewUser): Promise<User>;
  findById(id: number): Promise<User | null>;
  findByUsername(username: string): Promise<User | null>;
  /**
   * The account that renamed away from `username`, while nobody else has taken it: signing up
   * with a former name, or renaming to it, takes it over and ends the link.
   */
  findByFormerUsername(username: string): Promise<User | null>;
  /** The user and their password hash in one read: what a login needs. */
  findCredentials(username: string): Promise<{ user: User; passwordHash: string } | null>;
  findPasswordHash(userId: number): Promise<string | null>;
  /** Throws USERNAME_TAKEN on a rename to an existing username; a rename keeps the old one as former. */
  updateProfile(userId: number, changes: ProfileChanges, updatedAt: string): Promise<User>;
  setPasswordHash(userId: number, passwordHash: string, updatedAt: string): Promise<void>;
  /** The new hash and the end of every other session of the user, in one transaction. */
  changePassword(
    userId: number,
    passwordHash: string,
    keepSessionId: number,
    updatedAt: string,
  ): Promise<void>;
  /**
   * Removes the user and every row that points to them (sessions, prompts, likes, reposts,
   * follows both ways), fixing the like counts of the prompts they liked, in one transaction.
   */
  deleteAccount(userId: number): Promise<void>;
  /** Grants or withdraws administration; false when no such user exists. */
  setAdmin(userId: number, isAdmin: boolean): Promise<boolean>;
  /** Every administrator, by username. */
  listAdmins(): Promise<User[]>;
}

export interface StoredSession {
  id: number;
  createdAt: string;
  lastSeenAt: string;
  user: User;
  /** Read with the session, so that a grant or a revocation counts from the next request on. */
  userIsAdmin: boolean;
}

export interface SessionStore {
  create(session: { tokenHash: string; userId: number; now: string }): Promise<number>;
  findByTokenHash(tokenHash: string): Promise<StoredSession | null>;
  touch(sessionId: number, lastSeenAt: string): Promise<void>;
  delete(sessionId: number): Promise<void>;
  /** Ends every session of the user; returns how many. */
  deleteForUser(userId: number): Promise<number>;
  /** Deletes sessions not used since the cutoff; returns how many. */
  deleteIdleSince(cutoff: string): Promise<number>;
}
