/**
 * Changing the model both ways: a catalog embedded with the built-in model is re-embedded with
 * an ONNX model (the tests' own) and then back, while asks are answered between every commit.
 * At every step the vector index search reads holds only the configured model's vectors, never
 * the other's, every answer made meanwhile says how many songs it covers, and once the
 * re-embedding is done the asks find the songs by the new model and say nothing of it.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CatalogReindex } from "../../src/core/catalog/reindex.js";
import type { Embedder } from "../../src/core/ports.js";
import { ingestOnce } from "../../src/roles/ingest-once.js";
import { writeTestModel } from "../../bench/tiny-onnx-model.js";
import { openTestVerso, tempDir, writeCsv } from "../support/verso.js";

const stanza = (words: string) => `${words} all night\n${words} in my dreams\n\n${words} on and on`;
const songs = [
  ["sea", "Harbour", stanza("the ocean and the waves")],
  ["fire", "Ember", stanza("the flames and the smoke")],
  ["road", "Miles", stanza("the highway and the road")],
  ["rain", "Grey", stanza("the storm and the clouds")],
];

type TestVerso = Awaited<ReturnType<typeof openTestVerso>>;

interface Step {
  status: number;
  indexed: number;
  ofModel: number;
  reembedding: { model: string; done: number; total: number } | null;
}

/** Runs `verso reindex` as the CLI does, asking between commits (before each batch is embedded). */
async function reindexAsking(t: TestVerso, prompt: string): Promise<Step[]> {
  const [{ reembedding }, embedder, index] = [
    await t.verso.catalogStores(),
    await t.verso.embedder(),
    await t.verso.index(),
  ];
  await index.refresh();
  const steps: Step[] = [];
  const step = async () => {
    const reply = await t.app.inject({ method: "POST", url: "/api/ask", payload: { prompt, k: 4 } });
    const passages = (await t.verso.songStore()).passagesOfSongs(
      songs.map(([id]) => id!),
      embedder.model.name,
    );
    steps.push({
      status: reply.statusCode,
      indexed: await index.index.size(),
      ofModel: (await passages).length,
      reembedding: reply.json<Pick<Step, "reembedding">>().reembedding,
    });
  };
  const asking: Embedder = {
    model: embedder.model,
    parallelism: 1,
    ready: () => embedder.ready(),
    close: async () => {},
    embed: async (texts, options) => {
      await step();
      return embedder.embed(texts, options);
    },
  };
  await new CatalogReindex({
    store: reembedding,
    embedder: asking,
    indexWriter: index,
    songsPerCommit: 1,
  }).run();
  await step();
  return steps;
}

async function ask(t: TestVerso, prompt: string) {
  const reply = await t.app.inject({ method: "POST", url: "/api/ask", payload: { prompt, k: 4 } });
  expect(reply.statusCode).toBe(200);
  return reply.json<{ results: { song: { id: string } }[] }>().results.map((r) => r.song.id);
}

describe("re-embedding from the built-in model to an ONNX model and back", () => {
  const model = tempDir("verso-onnx-model-");
  const bucket = tempDir("verso-onnx-bucket-");
  const dataDir = tempDir("verso-onnx-data-");
  const settings = { dataDir, translator: "none" };
  beforeAll(async () => {
    writeTestModel(model);
    writeCsv(
      path.join(bucket, "songs.csv"),
      ["id", "name", "artists", "lyrics"],
      songs.map(([id, name, lyrics]) => [id!, name!, "['A']", lyrics!]),
    );
    const t = await openTestVerso({ ...settings, embedder: "use-lite" });
    try {
      await ingestOnce(t.verso, `file://${bucket}`);
      expect((await ask(t, "the ocean and the waves"))[0]).toBe("sea");
    } finally {
      await t.close();
    }
  }, 120_000);
  afterAll(() => {
    for (const dir of [model, bucket, dataDir]) fs.rmSync(dir, { recursive: true, force: true });
  });

  const changeTo = async (embedder: string, prompt: string) => {
    const t = await openTestVerso({ ...settings, embedder });
    try {
      const steps = await reindexAsking(t, prompt);
      // One step before each song, one after the last.
      expect(steps).toHaveLength(songs.length + 1);
      for (const [i, s] of steps.entries()) {
        expect(s.status).toBe(200);
        // The index search reads holds exactly the new model's passages: none of the old one.
        expect(s.indexed).toBe(s.ofModel);
        if (i > 0) expect(s.ofModel).toBeGreaterThan(steps[i - 1]!.ofModel);
        // Each answer made meanwhile covers the songs re-embedded so far, and says so.
        const model = (await t.verso.embedder()).model.name;
        const covered = { model, done: i, total: songs.length };
        expect(s.reembedding).toEqual(i < songs.length ? covered : null);
      }
      expect(steps[0]!.ofModel).toBe(0);
      return { t, steps };
    } catch (error) {
      await t.close();
      throw error;
    }
  };

  it("answers throughout, from one model's vectors at a time, and finds the songs by the new model once done", async () => {
    const onnx = await changeTo(`onnx:${model}`, "burning flames");
    try {
      expect((await ask(onnx.t, "waves on the ocean"))[0]).toBe("sea");
      expect((await ask(onnx.t, "el humo y el fuego"))[0]).toBe("fire");
    } finally {
      await onnx.t.close();
    }

    const back = await changeTo("use-lite", "the ocean");
    try {
      expect(back.steps.at(-1)!.ofModel).toBe(onnx.steps.at(-1)!.ofModel);
      expect((await ask(back.t, "the ocean and the waves"))[0]).toBe("sea");
    } finally {
      await back.t.close();
    }
  }, 180_000);
});
