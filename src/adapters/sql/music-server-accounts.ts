/** People's accounts on the catalog's music server over Kysely: one row per person. */
import type { MusicServerAccountStore } from "../../core/playlists/music-server.js";
import { transaction, type SqlContext } from "./dialect-sql.js";

export function createSqlMusicServerAccountStore({ db }: SqlContext): MusicServerAccountStore {
  return {
    async find(userId, server) {
      const row = await db
        .selectFrom("music_server_accounts")
        .select(["username", "password"])
        .where("user_id", "=", userId)
        .where("server", "=", server)
        .executeTakeFirst();
      return row ? { username: row.username, password: row.password } : null;
    },

    async save(userId, server, account, now) {
      await transaction(db, async (trx) => {
        await trx.deleteFrom("music_server_accounts").where("user_id", "=", userId).execute();
        await trx
          .insertInto("music_server_accounts")
          .values({
            user_id: userId,
            server,
            username: account.username,
            password: account.password,
            updated_at: now,
          })
          .execute();
      });
    },

    async remove(userId) {
      await db.deleteFrom("music_server_accounts").where("user_id", "=", userId).execute();
    },
  };
}
