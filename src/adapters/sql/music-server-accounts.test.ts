import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "../../../test/support/databases.js";
import type { MusicServerAccountStore } from "../../core/playlists/music-server.js";
import { createSealedBox } from "../secrets/sealed-box.js";
import { createSqlMusicServerAccountStore } from "./music-server-accounts.js";
import { createSqlUserStore } from "./social/accounts-store.js";

const box = createSealedBox(crypto.randomBytes(32));
let database: TestDatabase;
let accounts: MusicServerAccountStore;
const ids: Record<"ana" | "bob", number> = { ana: 0, bob: 0 };
const now = "2026-12-06T10:00:00.000Z";
const server = "http://music.local:4533/";

beforeAll(async () => {
  database = await openTestDatabase();
  accounts = createSqlMusicServerAccountStore(database, box);
  for (const username of ["ana", "bob"] as const) {
    const user = await database.db
      .insertInto("users")
      .values({ username, password_hash: "-", created_at: now, updated_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    ids[username] = user.id;
  }
});

afterAll(async () => {
  await database?.close();
});

describe("the SQL store of music server accounts", () => {
  it("keeps one account per person, for the server it was saved for only", async () => {
    expect(await accounts.find(ids.ana, server)).toBeNull();
    await accounts.save(ids.ana, server, { username: "ana", password: "pässwörd \u{1F3B5}" }, now);
    await accounts.save(ids.bob, server, { username: "bob", password: "other" }, now);
    expect(await accounts.find(ids.ana, server)).toEqual({ username: "ana", password: "pässwörd \u{1F3B5}" });
    expect(await accounts.find(ids.bob, server)).toEqual({ username: "bob", password: "other" });
    expect(await accounts.find(ids.ana, "http://elsewhere.example/")).toBeNull();
    // A new account replaces the old one.
    await accounts.save(ids.ana, server, { username: "ana2", password: "new" }, now);
    expect(await accounts.find(ids.ana, server)).toEqual({ username: "ana2", password: "new" });
    expect(await accounts.find(ids.bob, server)).toEqual({ username: "bob", password: "other" });
  });

  it("keeps the password sealed: the database alone gives none away, nor does a row moved to another person", async () => {
    await accounts.save(ids.ana, server, { username: "ana", password: "the clear password" }, now);
    const rows = await database.db.selectFrom("music_server_accounts").selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain("the clear password");
    // Under another key (VERSO_SECRET_KEY changed), the account is as good as unsaved.
    const otherKey = createSqlMusicServerAccountStore(database, createSealedBox(crypto.randomBytes(32)));
    expect(await otherKey.find(ids.ana, server)).toBeNull();
    // Ana's sealed password copied into Bob's row opens nothing.
    const anas = rows.find((r) => r.user_id === ids.ana)!;
    await database.db
      .updateTable("music_server_accounts")
      .set({ sealed_password: anas.sealed_password })
      .where("user_id", "=", ids.bob)
      .execute();
    expect(await accounts.find(ids.bob, server)).toBeNull();
    expect(await accounts.find(ids.ana, server)).toEqual({ username: "ana", password: "the clear password" });
  });

  it("forgets a person's account, and goes with the person's Verso account", async () => {
    await accounts.remove(ids.ana);
    await accounts.remove(ids.ana);
    expect(await accounts.find(ids.ana, server)).toBeNull();
    await createSqlUserStore(database).deleteAccount(ids.bob);
    const left = await database.db.selectFrom("music_server_accounts").selectAll().execute();
    expect(left).toEqual([]);
  });
});
