import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../../test/support/databases.js";
import type { SqlDatabase } from "./database.js";
import { createSqlGraphStore } from "./social/graph-store.js";
import { createSqlPromptStore } from "./social/prompt-store.js";

describe("writes by an account deleted while its request was on its way", () => {
  let database: SqlDatabase;
  let promptId: number;
  const now = "2026-01-01T00:00:00.000Z";
  beforeEach(async () => {
    database = await openTestDatabase();
    const db = database.db;
    const [author, gone] = await db
      .insertInto("users")
      .values(
        ["author", "gone"].map((username) => ({
          username,
          password_hash: "x",
          created_at: now,
          updated_at: now,
        })),
      )
      .returning("id")
      .execute();
    promptId = await createSqlPromptStore(database).create({ authorId: author!.id, text: "rain", now });
    await db.deleteFrom("users").where("id", "=", gone!.id).execute();
  });
  afterEach(async () => database.close());

  it("like nothing, follow nothing and publish nothing, without a server error", async () => {
    const prompts = createSqlPromptStore(database);
    const graph = createSqlGraphStore(database);
    const ghost = 999;
    expect(await prompts.like({ userId: ghost, promptId, now, repost: true })).toBe("missing");
    const [author] = await database.db.selectFrom("users").select("id").execute();
    expect(await graph.follow({ followerId: ghost, followeeId: author!.id, now })).toBe("missing");
    await expect(prompts.create({ authorId: ghost, text: "hello", now })).rejects.toMatchObject({
      code: "AUTH_REQUIRED",
    });
    const likes = await database.db.selectFrom("likes").selectAll().execute();
    expect(likes).toEqual([]);
    const count = await database.db.selectFrom("prompts").select("like_count").executeTakeFirstOrThrow();
    expect(count.like_count).toBe(0);
  });
});
