/**
 * An ONNX sentence model in process (VERSO_EMBEDDER=onnx:/path): the tests' own small model,
 * loaded from a folder by the real loading code, embeds a catalog and answers asks, a Spanish
 * prompt finding an English song since the model reads both.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestOnce } from "../../src/roles/ingest-once.js";
import { testModelDimension, writeTestModel } from "../../bench/tiny-onnx-model.js";
import { openTestVerso, tempDir, writeCsv } from "../support/verso.js";

const stanza = (words: string) =>
  `${words} all night\n${words} in my dreams\n\n${words} on and on\n${words} is all I know`;

describe("an ONNX model from a folder", () => {
  const model = tempDir("verso-onnx-model-");
  const bucket = tempDir("verso-onnx-bucket-");
  let t: Awaited<ReturnType<typeof openTestVerso>>;
  beforeAll(async () => {
    writeTestModel(model);
    writeCsv(
      path.join(bucket, "songs.csv"),
      ["id", "name", "artists", "lyrics"],
      [
        ["sea", "Harbour", "['A']", stanza("the ocean and the waves")],
        ["fire", "Ember", "['B']", stanza("the flames and the smoke")],
        ["mar", "Puerto", "['C']", stanza("el mar y las olas del barco")],
        ["road", "Miles", "['D']", stanza("the highway and the road")],
      ],
    );
    t = await openTestVerso({ embedder: `onnx:${model}`, translator: "none" });
    await ingestOnce(t.verso, `file://${bucket}`);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    for (const dir of [model, bucket]) fs.rmSync(dir, { recursive: true, force: true });
  });

  const ask = async (prompt: string) => {
    const reply = await t.app.inject({ method: "POST", url: "/api/ask", payload: { prompt, k: 4 } });
    expect(reply.statusCode).toBe(200);
    return reply.json<{ results: { song: { id: string } }[] }>().results.map((r) => r.song.id);
  };

  it("embeds the catalog with the model, under a name that carries its graph's hash", async () => {
    const embedder = await t.verso.embedder();
    expect(embedder.model).toEqual({
      name: expect.stringMatching(new RegExp(`^${path.basename(model).toLowerCase()}-[0-9a-f]{12}$`)),
      dimension: testModelDimension,
    });
    const passages = await (await t.verso.songStore()).passagesOfSongs(["sea", "fire"], embedder.model.name);
    expect(passages.length).toBeGreaterThan(0);
    expect(passages.every((p) => p.vector.length === testModelDimension)).toBe(true);
  });

  it("answers an ask by meaning, across English and Spanish", async () => {
    expect((await ask("waves on the ocean")).slice(0, 2).sort()).toEqual(["mar", "sea"]);
    expect((await ask("burning flames"))[0]).toBe("fire");
    expect((await ask("el fuego y el humo"))[0]).toBe("fire");
    expect((await ask("la carretera"))[0]).toBe("road");
  });
});
