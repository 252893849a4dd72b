/**
 * People's accounts on the catalog's music server over Kysely: one row per person, the password
 * sealed (secrets/sealed-box.ts) for that person and server, so the database alone gives none away.
 */
import type { MusicServerAccountStore } from "../../core/playlists/music-server.js";
import type { SealedBox } from "../secrets/sealed-box.js";
import { transaction, type SqlContext } from "./dialect-sql.js";

/** What a sealed password belongs to: a value moved to another row opens nothing. */
const sealedFor = (userId: number, server: string) => `music server account\n${userId}\n${server}`;

export function createSqlMusicServerAccountStore(
  { db }: SqlContext,
  box: SealedBox,
): MusicServerAccountStore {
  return {
    async find(userId, server) {
      const row = await db
        .selectFrom("music_server_accounts")
        .select(["username", "sealed_password"])
        .where("user_id", "=", userId)
        .where("server", "=", server)
        .executeTakeFirst();
      // Sealed under another key (VERSO_SECRET_KEY changed, or differs between processes): as
      // good as no account, which its owner saves again.
      const password = row ? box.open(row.sealed_password, sealedFor(userId, server)) : null;
      return row && password !== null ? { username: row.username, password } : null;
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
            sealed_password: box.seal(account.password, sealedFor(userId, server)),
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
