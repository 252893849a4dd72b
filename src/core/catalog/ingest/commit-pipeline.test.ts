import { describe, expect, it } from "vitest";
import { catalogObject, passageVectorMemory, songRow, stubEmbedder } from "../../../../test/catalog/fakes.js";
import { databaseOnly } from "../index-writer.js";
import type { IngestBatch } from "../store.js";
import { CommitPipeline } from "./commit-pipeline.js";
import type { EmbeddedCounts } from "./observer.js";
import type { RowBatch } from "./row-batches.js";
import { textHash } from "../vector-reuse.js";
import { ForegroundWork } from "../../foreground-work.js";

const batchOf = (songs: Record<string, string[]>): RowBatch => {
  const list = Object.entries(songs).map(([id, passages], i) => ({
    song: songRow(id),
    line: i + 2,
    status: "ok" as const,
    passages,
  }));
  const passageCount = list.reduce((s, x) => s + x.passages.length, 0);
  return {
    songs: list,
    rowErrors: [],
    changedRows: 0,
    rowsDone: list.length,
    linesDone: 0,
    bytesDone: 0,
    passageCount,
  };
};

function setUp(parallelism = 1, background?: ForegroundWork) {
  const memory = passageVectorMemory();
  const commits: IngestBatch[] = [];
  const stub = stubEmbedder(parallelism);
  const embedded: EmbeddedCounts[] = [];
  const pipeline = (modelId: number) =>
    new CommitPipeline(
      {
        store: {
          storedVectors: memory.storedVectors,
          async commitBatch(batch) {
            commits.push(batch);
            memory.record(batch);
            return { catalogVersion: commits.length, added: [], removed: [] };
          },
        },
        embedder: stub.embedder,
        indexWriter: databaseOnly,
        ...(background ? { background } : {}),
        observer: { embedded: (counts) => embedded.push(counts) },
      },
      { object: catalogObject(), lease: { objectId: 1, token: "t" }, modelId },
    );
  return { memory, commits, stub, embedded, pipeline };
}

/** The stub embedder's vector of a text (see stubEmbedder). */
const vectorOf = (text: string) =>
  Float32Array.from([Math.cos(text.length / 10), Math.sin(text.length / 10)]);

describe("the commit pipeline", () => {
  it("embeds only the texts neither stored nor earlier in the batch, once each, in order", async () => {
    const { commits, stub, embedded, pipeline, memory } = setUp();
    const first = pipeline(7);
    await first.push(batchOf({ a: ["chorus", "verse one"] }));
    expect(await first.drain()).toBe(true);
    expect(stub.requests).toEqual([["chorus", "verse one"]]);

    const second = pipeline(7);
    await second.push(
      batchOf({ b: ["intro", "chorus", "bridge", "intro"], c: ["chorus", "verse one", "outro!"] }),
    );
    expect(await second.drain()).toBe(true);
    // One lookup for the batch's distinct hashes; only the new distinct texts embedded.
    expect(memory.lookups.at(-1)).toEqual(["intro", "chorus", "bridge", "verse one", "outro!"].map(textHash));
    expect(stub.requests.at(-1)).toEqual(["intro", "bridge", "outro!"]);

    const [b, c] = commits.at(-1)!.songs;
    const texts = (s: typeof b) => s!.passages.map((p) => p.text);
    expect(texts(b)).toEqual(["intro", "chorus", "bridge", "intro"]);
    expect(texts(c)).toEqual(["chorus", "verse one", "outro!"]);
    for (const song of [b, c]) {
      for (const p of song!.passages) {
        expect(p.textHash).toBe(textHash(p.text));
        expect([...p.vector]).toEqual([...vectorOf(p.text)]);
      }
    }
    // The stored chorus is the very vector committed first.
    expect(c!.passages[0]!.vector).toBe(commits[0]!.songs[0]!.passages[0]!.vector);
    expect(commits.at(-1)!.counts).toMatchObject({ passages: 7, reused: 4 });
    expect(embedded).toEqual([
      { reused: 0, computed: 2 },
      { reused: 4, computed: 3 },
    ]);
  });

  it("embeds a text once for batches in flight together, before either is committed", async () => {
    const { commits, stub, embedded, pipeline } = setUp(2);
    const run = pipeline(7);
    await run.push(batchOf({ a: ["chorus", "verse one"] }));
    await run.push(batchOf({ b: ["chorus", "bridge"] }));
    await run.push(batchOf({ c: ["bridge", "chorus", "outro"] }));
    expect(commits).toEqual([]);
    expect(await run.drain()).toBe(true);
    expect(stub.requests).toEqual([["chorus", "verse one"], ["bridge"], ["outro"]]);
    const chorusVectors = commits.flatMap((c) => c.songs[0]!.passages.filter((p) => p.text === "chorus"));
    expect(chorusVectors.map((p) => [...p.vector])).toEqual(Array(3).fill([...vectorOf("chorus")]));
    expect(embedded).toEqual([
      { reused: 0, computed: 2 },
      { reused: 1, computed: 1 },
      { reused: 2, computed: 1 },
    ]);
  });

  it("reuses nothing stored with another model", async () => {
    const { stub, pipeline, embedded } = setUp();
    const first = pipeline(7);
    await first.push(batchOf({ a: ["chorus"] }));
    await first.drain();
    const other = pipeline(8);
    await other.push(batchOf({ a: ["chorus"] }));
    await other.drain();
    expect(stub.requests).toEqual([["chorus"], ["chorus"]]);
    expect(embedded.at(-1)).toEqual({ reused: 0, computed: 1 });
  });

  it("asks neither the store nor the embedder for a batch without passages", async () => {
    const { stub, pipeline, memory, commits } = setUp();
    const run = pipeline(7);
    await run.push(batchOf({ a: [] }));
    await run.drain();
    expect(memory.lookups).toEqual([]);
    expect(stub.requests).toEqual([]);
    expect(commits[0]!.counts).toMatchObject({ passages: 0, reused: 0 });
  });

  it("neither embeds nor commits a batch while an answer is being made", async () => {
    const foreground = new ForegroundWork(60_000);
    const { stub, commits, pipeline } = setUp(1, foreground);
    const run = pipeline(7);
    let endAnswer = () => {};
    const answering = foreground.during(() => new Promise<void>((resolve) => (endAnswer = resolve)));
    const pushed = run.push(batchOf({ a: ["chorus"] }));
    for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(stub.requests).toEqual([]);
    endAnswer();
    await answering;
    await pushed;
    expect(stub.requests).toEqual([["chorus"]]);

    const again = foreground.during(() => new Promise<void>((resolve) => (endAnswer = resolve)));
    const drained = run.drain();
    for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(commits).toEqual([]);
    endAnswer();
    await again;
    expect(await drained).toBe(true);
    expect(commits).toHaveLength(1);
  });
});
