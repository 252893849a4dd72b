/** The accounts domain's stores over Kysely: users and sessions. */
import type { Selectable } from "kysely";
import type { SessionStore, StoredSession, UserStore } from "../../../core/accounts/store.js";
import type { User } from "../../../core/accounts/user.js";
import { VersoError } from "../../../core/errors.js";
import type { SqlContext } from "../dialect-sql.js";
import type { UsersTable } from "../schema/social.js";
import { isUniqueViolation } from "../constraint-errors.js";

export const userColumns = [
  "users.id",
  "users.username",
  "users.display_name",
  "users.bio",
  "users.created_at",
] as const;

type UserRow = Pick<Selectable<UsersTable>, "id" | "username" | "display_name" | "bio" | "created_at">;

export const toUser = (row: UserRow): User => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  bio: row.bio,
  createdAt: row.created_at,
});

/** A duplicate key, as each dialect reports it (SQLite, MariaDB, PostgreSQL). */
const usernameTaken = (username: string): VersoError =>
  new VersoError("USERNAME_TAKEN", `the username "${username}" is taken`);

export function createSqlUserStore({ db }: SqlContext): UserStore {
  const findById = async (id: number): Promise<User | null> => {
    const row = await db.selectFrom("users").select(userColumns).where("id", "=", id).executeTakeFirst();
    return row ? toUser(row) : null;
  };

  return {
    async create(user) {
      try {
        return await db.transaction().execute(async (trx) => {
          const row = await trx
            .insertInto("users")
            .values({
              username: user.username,
              password_hash: user.passwordHash,
              created_at: user.createdAt,
              updated_at: user.createdAt,
            })
            .returning(userColumns)
            .executeTakeFirstOrThrow();
          await trx.deleteFrom("former_usernames").where("username", "=", user.username).execute();
          return toUser(row);
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw usernameTaken(user.username);
        throw error;
      }
    },

    findById,

    async findByUsername(username) {
      const row = await db
        .selectFrom("users")
        .select(userColumns)
        .where("username", "=", username)
        .executeTakeFirst();
      return row ? toUser(row) : null;
    },

    async findByFormerUsername(username) {
      const row = await db
        .selectFrom("former_usernames")
        .innerJoin("users", "users.id", "former_usernames.user_id")
        .select(userColumns)
        .where("former_usernames.username", "=", username)
        .executeTakeFirst();
      return row ? toUser(row) : null;
    },

    async findCredentials(username) {
      const row = await db
        .selectFrom("users")
        .select([...userColumns, "users.password_hash"])
        .where("username", "=", username)
        .executeTakeFirst();
      return row ? { user: toUser(row), passwordHash: row.password_hash } : null;
    },

    async findPasswordHash(userId) {
      const row = await db
        .selectFrom("users")
        .select("password_hash")
        .where("id", "=", userId)
        .executeTakeFirst();
      return row?.password_hash ?? null;
    },

    async updateProfile(userId, changes, updatedAt) {
      try {
        await db.transaction().execute(async (trx) => {
          const before = await trx
            .selectFrom("users")
            .select("username")
            .where("id", "=", userId)
            .executeTakeFirst();
          await trx
            .updateTable("users")
            .set({
              ...(changes.username !== undefined && { username: changes.username }),
              ...(changes.displayName !== undefined && { display_name: changes.displayName }),
              ...(changes.bio !== undefined && { bio: changes.bio }),
              updated_at: updatedAt,
            })
            .where("id", "=", userId)
            .execute();
          const newName = changes.username;
          if (newName === undefined || !before || before.username === newName) return;
          // The new name stops leading anywhere else; the old one now leads here.
          await trx
            .deleteFrom("former_usernames")
            .where("username", "in", [before.username, newName])
            .execute();
          await trx
            .insertInto("former_usernames")
            .values({ username: before.username, user_id: userId, renamed_at: updatedAt })
            .execute();
        });
      } catch (error) {
        if (isUniqueViolation(error) && changes.username !== undefined) throw usernameTaken(changes.username);
        throw error;
      }
      const user = await findById(userId);
      if (!user) throw new VersoError("USER_NOT_FOUND", "the account no longer exists");
      return user;
    },

    async setPasswordHash(userId, passwordHash, updatedAt) {
      await db
        .updateTable("users")
        .set({ password_hash: passwordHash, updated_at: updatedAt })
        .where("id", "=", userId)
        .execute();
    },

    async changePassword(userId, passwordHash, keepSessionId, updatedAt) {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable("users")
          .set({ password_hash: passwordHash, updated_at: updatedAt })
          .where("id", "=", userId)
          .execute();
        await trx
          .deleteFrom("sessions")
          .where("user_id", "=", userId)
          .where("id", "!=", keepSessionId)
          .execute();
      });
    },

    async deleteAccount(userId) {
      await db.transaction().execute(async (trx) => {
        const myPrompts = trx.selectFrom("prompts").select("id").where("author_id", "=", userId);
        // The prompts I liked lose my like: counted down before the like rows go.
        await trx
          .updateTable("prompts")
          .set((eb) => ({ like_count: eb("like_count", "-", 1) }))
          .where("id", "in", trx.selectFrom("likes").select("prompt_id").where("user_id", "=", userId))
          .execute();
        await trx.deleteFrom("likes").where("user_id", "=", userId).execute();
        await trx.deleteFrom("likes").where("prompt_id", "in", myPrompts).execute();
        await trx.deleteFrom("activities").where("actor_id", "=", userId).execute();
        await trx.deleteFrom("activities").where("prompt_id", "in", myPrompts).execute();
        await trx.deleteFrom("prompt_vectors").where("prompt_id", "in", myPrompts).execute();
        await trx.deleteFrom("follows").where("follower_id", "=", userId).execute();
        await trx.deleteFrom("follows").where("followee_id", "=", userId).execute();
        await trx.deleteFrom("prompts").where("author_id", "=", userId).execute();
        await trx.deleteFrom("sessions").where("user_id", "=", userId).execute();
        await trx.deleteFrom("former_usernames").where("user_id", "=", userId).execute();
        await trx.deleteFrom("music_server_accounts").where("user_id", "=", userId).execute();
        await trx.deleteFrom("users").where("id", "=", userId).execute();
      });
    },

    async setAdmin(userId, isAdmin) {
      const result = await db
        .updateTable("users")
        .set({ is_admin: isAdmin ? 1 : 0 })
        .where("id", "=", userId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0 || (await findById(userId)) !== null;
    },

    async listAdmins() {
      const rows = await db
        .selectFrom("users")
        .select(userColumns)
        .where("is_admin", "=", 1)
        .orderBy("username")
        .execute();
      return rows.map(toUser);
    },
  };
}

export function createSqlSessionStore({ db }: SqlContext): SessionStore {
  return {
    async create(session) {
      const row = await db
        .insertInto("sessions")
        .values({
          token_hash: session.tokenHash,
          user_id: session.userId,
          created_at: session.now,
          last_seen_at: session.now,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async findByTokenHash(tokenHash): Promise<StoredSession | null> {
      const row = await db
        .selectFrom("sessions")
        .innerJoin("users", "users.id", "sessions.user_id")
        .select([
          ...userColumns,
          "sessions.id as session_id",
          "sessions.created_at as session_created_at",
          "sessions.last_seen_at",
          "users.is_admin",
        ])
        .where("sessions.token_hash", "=", tokenHash)
        .executeTakeFirst();
      return row
        ? {
            id: row.session_id,
            createdAt: row.session_created_at,
            lastSeenAt: row.last_seen_at,
            user: toUser(row),
            userIsAdmin: Number(row.is_admin) === 1,
          }
        : null;
    },

    async touch(sessionId, lastSeenAt) {
      await db
        .updateTable("sessions")
        .set({ last_seen_at: lastSeenAt })
        .where("id", "=", sessionId)
        .execute();
    },

    async delete(sessionId) {
      await db.deleteFrom("sessions").where("id", "=", sessionId).execute();
    },

    async deleteForUser(userId) {
      const result = await db.deleteFrom("sessions").where("user_id", "=", userId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async deleteIdleSince(cutoff) {
      const result = await db.deleteFrom("sessions").where("last_seen_at", "<=", cutoff).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
