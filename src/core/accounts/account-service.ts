import { randomBytes } from "node:crypto";
import { VersoError } from "../errors.js";
import type { Cache } from "../ports.js";
import { AttemptLimiter, type AttemptRules } from "./attempt-limiter.js";
import type { PasswordHasher } from "./password-hasher.js";
import { canonicalPassword, checkNewPassword, type CommonPasswords } from "./password-policy.js";
import { parseBio, parseDisplayName } from "./profile.js";
import type { SessionService } from "./sessions.js";
import type { UserStore } from "./store.js";
import type { Clock, User, Viewer } from "./user.js";
import { isWellFormedUsername, normalizeUsername, parseNewUsername } from "./username.js";

export interface AccountRateRules {
  login: AttemptRules;
  register: AttemptRules;
  /** Re-entering the password to rename, change the password or delete the account. */
  confirmPassword: AttemptRules;
}

const minutes = (n: number): number => n * 60;

export const defaultAccountRateRules: AccountRateRules = {
  login: {
    perAddress: { limit: 60, windowSeconds: minutes(10) },
    perAddressAndName: { limit: 5, windowSeconds: minutes(15) },
    // However many addresses guess: 20 tries in 15 minutes against one account, but from the
    // addresses it signed in from in the last 30 days.
    perName: { limit: 20, windowSeconds: minutes(15), trustDays: 30 },
  },
  register: {
    perAddress: { limit: 20, windowSeconds: minutes(60) },
    perAddressAndName: { limit: 5, windowSeconds: minutes(15) },
  },
  confirmPassword: {
    perAddress: { limit: 30, windowSeconds: minutes(10) },
    perAddressAndName: { limit: 5, windowSeconds: minutes(15) },
  },
};

export type AuthAction = "register" | "login";
export type AuthOutcome = "success" | "refused" | "rate_limited" | "busy";

/** What the service reports for metrics, without knowing any metrics library. */
export interface AccountEvents {
  authAttempt(action: AuthAction, outcome: AuthOutcome): void;
}

export interface AccountServiceDeps {
  users: UserStore;
  sessions: SessionService;
  hasher: PasswordHasher;
  commonPasswords: CommonPasswords;
  cache: Cache;
  clock: Clock;
  rateRules?: AccountRateRules;
  events?: AccountEvents;
}

export interface Credentials {
  username: string;
  password: string;
  /** The client's network address: rate limits are counted per address. */
  address: string;
}

export interface SignedIn {
  token: string;
  user: User;
}

export interface ProfileUpdate {
  displayName?: string;
  bio?: string;
  username?: string;
  currentPassword?: string;
}

const outcomeOf = (error: unknown): AuthOutcome => {
  if (error instanceof VersoError && error.code === "RATE_LIMITED") return "rate_limited";
  if (error instanceof VersoError && error.code === "AUTH_BUSY") return "busy";
  return "refused";
};

/** Registration, sign-in and the signed-in user's own account. */
export class AccountService {
  private readonly loginLimiter: AttemptLimiter;
  private readonly registerLimiter: AttemptLimiter;
  private readonly confirmLimiter: AttemptLimiter;
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly deps: AccountServiceDeps) {
    const rules = deps.rateRules ?? defaultAccountRateRules;
    this.loginLimiter = new AttemptLimiter(deps.cache, deps.clock, "login", rules.login);
    this.registerLimiter = new AttemptLimiter(deps.cache, deps.clock, "register", rules.register);
    this.confirmLimiter = new AttemptLimiter(
      deps.cache,
      deps.clock,
      "confirm-password",
      rules.confirmPassword,
    );
  }

  /** Computes the decoy hash ahead of the first login for an unknown username. */
  async warmUp(): Promise<void> {
    await this.decoyHash();
  }

  async register(input: Credentials): Promise<SignedIn> {
    return this.reporting("register", async () => {
      const username = parseNewUsername(input.username);
      checkNewPassword(input.password, { username, common: this.deps.commonPasswords });
      await this.registerLimiter.admit({ address: input.address, name: username });
      if (await this.deps.users.findByUsername(username)) throw usernameTaken(username);
      const passwordHash = await this.deps.hasher.hash(canonicalPassword(input.password));
      const user = await this.deps.users.create({ username, passwordHash, createdAt: this.now() });
      const { token } = await this.deps.sessions.open(user);
      return { token, user };
    });
  }

  async login(input: Credentials): Promise<SignedIn> {
    return this.reporting("login", async () => {
      const username = normalizeUsername(input.username);
      const admission = await this.loginLimiter.admit({ address: input.address, name: username });
      const found = isWellFormedUsername(username) ? await this.deps.users.findCredentials(username) : null;
      // An unknown username costs the same hash as a known one, so response times do not tell
      // an attacker which usernames exist.
      const hash = found?.passwordHash ?? (await this.decoyHash());
      const matches = await this.deps.hasher.verify(hash, canonicalPassword(input.password));
      if (!found || !matches) throw new VersoError("INVALID_CREDENTIALS", "wrong username or password");
      await this.loginLimiter.succeeded(admission);
      if (this.deps.hasher.needsRehash(found.passwordHash)) {
        const upgraded = await this.deps.hasher.hash(canonicalPassword(input.password));
        await this.deps.users.setPasswordHash(found.user.id, upgraded, this.now());
      }
      const { token } = await this.deps.sessions.open(found.user);
      return { token, user: found.user };
    });
  }

  async logout(viewer: Viewer): Promise<void> {
    await this.deps.sessions.end(viewer.sessionId);
  }

  async updateProfile(viewer: Viewer, update: ProfileUpdate, address: string): Promise<User> {
    const changes: { displayName?: string; bio?: string; username?: string } = {};
    if (update.displayName !== undefined) changes.displayName = parseDisplayName(update.displayName);
    if (update.bio !== undefined) changes.bio = parseBio(update.bio);
    if (update.username !== undefined) {
      const username = parseNewUsername(update.username);
      if (username !== viewer.user.username) {
        if (update.currentPassword === undefined) {
          throw new VersoError(
            "CURRENT_PASSWORD_REQUIRED",
            "renaming the account needs the current password",
          );
        }
        await this.confirmPassword(viewer, update.currentPassword, address);
        changes.username = username;
      }
    }
    if (Object.keys(changes).length === 0) return viewer.user;
    return this.deps.users.updateProfile(viewer.user.id, changes, this.now());
  }

  /** Sets a new password and ends every other session: a thief holding one is out. */
  async changePassword(
    viewer: Viewer,
    input: { currentPassword: string; newPassword: string },
    address: string,
  ): Promise<void> {
    checkNewPassword(input.newPassword, {
      username: viewer.user.username,
      common: this.deps.commonPasswords,
    });
    await this.confirmPassword(viewer, input.currentPassword, address);
    const passwordHash = await this.deps.hasher.hash(canonicalPassword(input.newPassword));
    await this.deps.users.changePassword(viewer.user.id, passwordHash, viewer.sessionId, this.now());
  }

  async deleteAccount(viewer: Viewer, input: { password: string }, address: string): Promise<void> {
    await this.confirmPassword(viewer, input.password, address);
    await this.deps.users.deleteAccount(viewer.user.id);
  }

  /** A stolen session must not be enough to take the account over: these actions ask again. */
  private async confirmPassword(viewer: Viewer, password: string, address: string): Promise<void> {
    const admission = await this.confirmLimiter.admit({ address, name: String(viewer.user.id) });
    const hash = await this.deps.users.findPasswordHash(viewer.user.id);
    if (hash === null || !(await this.deps.hasher.verify(hash, canonicalPassword(password)))) {
      throw new VersoError("WRONG_PASSWORD", "the current password is not correct");
    }
    await this.confirmLimiter.succeeded(admission);
  }

  private decoyHash(): Promise<string> {
    this.dummyHash ??= this.deps.hasher.hash(randomBytes(16).toString("hex")).catch((error: unknown) => {
      this.dummyHash = undefined;
      throw error;
    });
    return this.dummyHash;
  }

  private async reporting<T>(action: AuthAction, attempt: () => Promise<T>): Promise<T> {
    try {
      const result = await attempt();
      this.deps.events?.authAttempt(action, "success");
      return result;
    } catch (error) {
      this.deps.events?.authAttempt(action, outcomeOf(error));
      throw error;
    }
  }

  private now(): string {
    return this.deps.clock().toISOString();
  }
}

const usernameTaken = (username: string): VersoError =>
  new VersoError("USERNAME_TAKEN", `the username "${username}" is taken`);
