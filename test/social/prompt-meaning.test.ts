/**
 * Prompts found by meaning, on the real built-in model and this run's database: "sea" finds
 * "songs about the ocean", an edited prompt is found by its new text only, a deleted one by
 * nothing, and prompts without a vector (as after the migration) get one at the next search.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SqlDatabase } from "../../src/adapters/sql/database.js";
import { createTestDatabaseUrl } from "../support/databases.js";
import { generousRateRules, lightHasher, PASSWORD } from "../support/test-app.js";
import { openTestVerso } from "../support/verso.js";

interface Page {
  items: { id: number; text: string }[];
  nextCursor: string | null;
}

describe("prompt search by meaning", () => {
  let t: Awaited<ReturnType<typeof openTestVerso>>;
  let database: Awaited<ReturnType<typeof createTestDatabaseUrl>>;
  let db: SqlDatabase["db"];
  let token: string;
  const ids = new Map<string, number>();

  const call = async (method: "GET" | "POST" | "PATCH" | "DELETE", url: string, payload?: object) => {
    const response = await t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response.body === "" ? undefined : response.json();
  };
  const search = async (q: string, query = ""): Promise<Page> =>
    call("GET", `/api/prompts?q=${encodeURIComponent(q)}${query}`);
  const texts = async (q: string) => (await search(q)).items.map((p) => p.text);
  const vectorCount = async () =>
    Number(
      (
        await db
          .selectFrom("prompt_vectors")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    database = await createTestDatabaseUrl();
    t = await openTestVerso(
      { databaseUrl: database.url },
      { hasher: lightHasher(), rateRules: generousRateRules, requestRules: null },
    );
    db = (await t.verso.database()).db;
    const registered = await t.app.inject({
      method: "POST",
      url: "/api/auth/register",
      payload: { username: "sailor", password: PASSWORD },
    });
    token = registered.json<{ token: string }>().token;
    for (const text of [
      "songs about the ocean",
      "happy birthday party songs",
      "songs to cry to after a breakup",
      "music for studying late at night",
      "songs about the sea",
    ]) {
      ids.set(text, (await call("POST", "/api/prompts", { text })).id);
    }
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  it("finds a prompt by what it means, after those holding the word, and leaves unrelated ones out", async () => {
    expect(await texts("sea")).toEqual(["songs about the sea", "songs about the ocean"]);
    expect(await texts("ocean")).toEqual(["songs about the ocean", "songs about the sea"]);
  });

  it("pages through the same ranking with its cursors", async () => {
    const whole = (await search("sea")).items.map((p) => p.id);
    const walked: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await search("sea", `&limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      walked.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(whole).toHaveLength(2);
    expect(walked).toEqual(whole);
  });

  it("gives prompts without a vector one at the next search", async () => {
    await db.deleteFrom("prompt_vectors").execute();
    expect(await texts("sea")).toEqual(["songs about the sea", "songs about the ocean"]);
    expect(await vectorCount()).toBe(5);
  });

  it("finds an edited prompt by its new text only, and a deleted one no more", async () => {
    await call("PATCH", `/api/prompts/${ids.get("songs about the ocean")}`, {
      text: "songs for a birthday party",
    });
    expect(await texts("sea")).toEqual(["songs about the sea"]);
    expect(await vectorCount()).toBe(5);
    expect(await texts("birthday celebration")).toContain("songs for a birthday party");

    await call("DELETE", `/api/prompts/${ids.get("songs about the sea")}`);
    expect(await texts("sea")).toEqual([]);
    expect(await vectorCount()).toBe(4);
  });
});
