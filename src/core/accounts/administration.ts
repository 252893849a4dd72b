/**
 * What an operator does to accounts from the command line (`verso admin …`, `verso sessions
 * revoke`): no HTTP route reaches it, so holding the server's database is the only way in.
 */
import { VersoError } from "../errors.js";
import type { SessionStore, UserStore } from "./store.js";
import type { User } from "./user.js";
import { normalizeUsername } from "./username.js";

export class AccountAdministration {
  constructor(
    private readonly users: Pick<UserStore, "findByUsername" | "setAdmin" | "listAdmins">,
    private readonly sessions: Pick<SessionStore, "deleteForUser">,
  ) {}

  /** Administration follows the account through renames and ends with it. */
  async grantAdmin(username: string): Promise<User> {
    return this.setAdmin(username, true);
  }

  async revokeAdmin(username: string): Promise<User> {
    return this.setAdmin(username, false);
  }

  listAdmins(): Promise<User[]> {
    return this.users.listAdmins();
  }

  /** Signs the user out everywhere, at once: for a stolen token or a device that was lost. */
  async revokeSessions(username: string): Promise<{ user: User; ended: number }> {
    const user = await this.existing(username);
    return { user, ended: await this.sessions.deleteForUser(user.id) };
  }

  private async setAdmin(username: string, isAdmin: boolean): Promise<User> {
    const user = await this.existing(username);
    if (!(await this.users.setAdmin(user.id, isAdmin))) throw notFound(username);
    return user;
  }

  private async existing(username: string): Promise<User> {
    const user = await this.users.findByUsername(normalizeUsername(username));
    if (!user) throw notFound(username);
    return user;
  }
}

const notFound = (username: string) => new VersoError("USER_NOT_FOUND", `no user named "${username}"`);
