import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "../../../../test/support/databases.js";
import type { PromptStore, PromptVectorStore } from "../../../core/social/store.js";
import { createSqlPromptStore } from "./prompt-store.js";
import { createSqlPromptVectorStore } from "./prompt-vector-store.js";

let database: TestDatabase;
let prompts: PromptStore;
let vectors: PromptVectorStore;
let authorId: number;
const model = "test-model";
const at = (minute: number) => `2026-12-06T10:${String(minute).padStart(2, "0")}:00.000Z`;
const vector = (...values: number[]) => Float32Array.from(values);

beforeAll(async () => {
  database = await openTestDatabase();
  prompts = createSqlPromptStore(database);
  vectors = createSqlPromptVectorStore(database);
  const user = await database.db
    .insertInto("users")
    .values({ username: "writer", password_hash: "-", created_at: at(0), updated_at: at(0) })
    .returning("id")
    .executeTakeFirstOrThrow();
  authorId = user.id;
});

afterAll(async () => {
  await database?.close();
});

describe("the SQL prompt vector store", () => {
  it("keeps one vector per prompt, of its current text only", async () => {
    const id = await prompts.create({ authorId, text: "songs about the ocean", now: at(1) });
    expect(await vectors.missing(model, 10)).toEqual([
      { promptId: id, text: "songs about the ocean", updatedAt: at(1) },
    ]);
    await vectors.put({ promptId: id, model, vector: vector(1, 0), updatedAt: at(1) });
    await vectors.put({ promptId: id, model, vector: vector(0.6, 0.8), updatedAt: at(1) });
    expect(await vectors.all(model)).toEqual([{ promptId: id, vector: vector(0.6, 0.8) }]);
    expect(await vectors.missing(model, 10)).toEqual([]);
    expect(await vectors.all("another-model")).toEqual([]);
    expect(await vectors.missing("another-model", 10)).toHaveLength(1);

    await prompts.updateText(id, "songs about the desert", at(2));
    expect(await vectors.all(model)).toEqual([]);
    // A vector of the text before the edit, arriving late, is not kept.
    await vectors.put({ promptId: id, model, vector: vector(1, 0), updatedAt: at(1) });
    expect(await vectors.all(model)).toEqual([]);
    expect(await vectors.missing(model, 10)).toEqual([
      { promptId: id, text: "songs about the desert", updatedAt: at(2) },
    ]);

    await prompts.delete(id);
    await vectors.put({ promptId: id, model, vector: vector(0, 1), updatedAt: at(2) });
    expect(await vectors.all(model)).toEqual([]);
    expect(await vectors.missing(model, 10)).toEqual([]);
  });

  it("sees what another process changed since it last read", async () => {
    const here = createSqlPromptVectorStore(database);
    const there = createSqlPromptVectorStore(database);
    const id = await prompts.create({ authorId, text: "songs about rain", now: at(3) });
    await there.put({ promptId: id, model, vector: vector(1, 0), updatedAt: at(3) });
    expect(await here.all(model)).toEqual([{ promptId: id, vector: vector(1, 0) }]);

    await prompts.updateText(id, "songs about snow", at(4));
    await there.put({ promptId: id, model, vector: vector(0, 1), updatedAt: at(4) });
    expect(await here.all(model)).toEqual([{ promptId: id, vector: vector(0, 1) }]);

    await prompts.delete(id);
    expect(await here.all(model)).toEqual([]);
  });
});
