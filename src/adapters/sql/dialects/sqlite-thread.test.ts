/**
 * The SQLite driver's thread: a long statement leaves the event loop free, a read outside a
 * transaction does not wait for a transaction under way (and does not see it), and what comes
 * back is what better-sqlite3 answers on its own thread: errors with their code, BLOBs as Buffer.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDialect } from "../../../../test/support/databases.js";
import { connectSqlite } from "./sqlite.js";

// SQLite only: the other projects run this folder against their own servers.
describe.runIf(testDialect === "sqlite")("SQLite on its own thread", () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "verso-sqlite-thread-"));
  let db: Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a scratch table outside the schema

  beforeAll(async () => {
    db = connectSqlite(path.join(folder, "scratch.db")).db as Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    await sql`CREATE TABLE notes (id INTEGER PRIMARY KEY, body BLOB)`.execute(db);
  });
  afterAll(async () => {
    await db?.destroy();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it("lets a timer fire while a long statement runs", async () => {
    const order: string[] = [];
    const timer = new Promise<void>((resolve) =>
      setTimeout(() => {
        order.push("timer");
        resolve();
      }, 1),
    );
    // Counting to five million takes SQLite hundreds of ms: on the loop, the timer would wait.
    const counted = sql<{ n: number }>`
      WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 5000000)
      SELECT count(*) AS n FROM c`
      .execute(db)
      .then((result) => order.push(`counted ${result.rows[0]!.n}`));
    await Promise.all([timer, counted]);
    expect(order).toEqual(["timer", "counted 5000000"]);
  });

  it("answers a read while a transaction holds the write connection, from the last commit", async () => {
    let resume!: () => void;
    const held = new Promise<void>((resolve) => (resume = resolve));
    let inserted!: () => void;
    const insertedOnce = new Promise<void>((resolve) => (inserted = resolve));
    const transaction = db.transaction().execute(async (trx) => {
      await trx.insertInto("notes").values({ id: 1, body: null }).execute();
      inserted();
      await held;
    });
    await insertedOnce;
    // A SELECT written out in SQL (the full-text queries are) is a read as well: it must not
    // wait for the transaction, which here would wait for ever.
    const written = sql<{ n: number }>`SELECT count(*) AS n FROM notes`.execute(db).then((r) => r.rows);
    const waiting = new Promise((resolve) => setTimeout(() => resolve("waits for the transaction"), 2000));
    try {
      expect(await db.selectFrom("notes").select("id").execute()).toEqual([]);
      expect(await Promise.race([written, waiting])).toEqual([{ n: 0 }]);
    } finally {
      resume();
      await transaction;
    }
    expect(await db.selectFrom("notes").select("id").execute()).toEqual([{ id: 1 }]);
  });

  it("keeps the error's code and answers BLOBs as Buffer", async () => {
    await expect(db.insertInto("notes").values({ id: 1, body: null }).execute()).rejects.toMatchObject({
      code: "SQLITE_CONSTRAINT_PRIMARYKEY",
    });
    await db
      .insertInto("notes")
      .values({ id: 2, body: new Uint8Array([1, 2, 3]) })
      .execute();
    const { body } = await db
      .selectFrom("notes")
      .select("body")
      .where("id", "=", 2)
      .executeTakeFirstOrThrow();
    expect(Buffer.isBuffer(body)).toBe(true);
    expect([...(body as Buffer)]).toEqual([1, 2, 3]);
  });

  it("keeps a database in memory on one connection of the calling thread, transactions included", async () => {
    const memory = connectSqlite(":memory:").db as Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    try {
      await sql`CREATE TABLE t (id INTEGER PRIMARY KEY)`.execute(memory);
      await memory.transaction().execute(async (trx) => {
        await trx.insertInto("t").values({ id: 7 }).execute();
      });
      expect(await memory.selectFrom("t").select("id").execute()).toEqual([{ id: 7 }]);
    } finally {
      await memory.destroy();
    }
  });
});
