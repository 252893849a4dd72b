import { describe, expect, it } from "vitest";
import {
  catalogObject,
  memoryBucket,
  passageVectorMemory,
  stubEmbedder,
} from "../../../../test/catalog/fakes.js";
import { databaseOnly, type IndexWriter } from "../index-writer.js";
import type { CatalogObject, IngestBatch, IngestRunStore } from "../store.js";
import type { IngestProgress, RowCounts } from "./observer.js";
import { IngestRunner, type RunOrder } from "./runner.js";

const header = "id,name,artists,lyrics";
const row = (id: string, lyrics: string) => `${id},Title ${id},['Artist'],"${lyrics}"`;
const csvOf = (...rows: string[]) => [header, ...rows].join("\n") + "\n";
/** Seven rows: five songs with lyrics (one passage each), one with placeholder lyrics, one bad row. */
const sevenRows = csvOf(
  row("s1", "the sea at night keeps singing me back to the harbour"),
  row("s2", "rain on the roof and the thunder rolling over our small town"),
  row("s3", "NA"),
  "broken row",
  row("s4", "a road to nowhere under a sky that never seems to end"),
  row("s5", "snow in april falls on the blossoms we planted last year"),
  row("s6", "fire in the hills and smoke drifting down to the valley below"),
);

/** The worker's store as far as a run writes it: every commit recorded, the lease lost on request. */
function recordingStore(options: { leaseLostAtCommit?: number } = {}) {
  const commits: IngestBatch[] = [];
  const vectors = passageVectorMemory();
  const store: Pick<IngestRunStore, "modelId" | "commitBatch" | "storedVectors"> = {
    modelId: async () => 7,
    storedVectors: vectors.storedVectors,
    async commitBatch(batch) {
      if (options.leaseLostAtCommit !== undefined && commits.length + 1 >= options.leaseLostAtCommit)
        return null;
      commits.push(batch);
      vectors.record(batch);
      return { catalogVersion: commits.length, added: [], removed: [] };
    },
  };
  return { store, commits };
}

function setUp(
  options: {
    csv?: string;
    batchPassages?: number;
    parallelism?: number;
    leaseLostAtCommit?: number;
    indexWriter?: IndexWriter;
  } = {},
) {
  const files = memoryBucket();
  const listed = files.write("a.csv", options.csv ?? sevenRows);
  const { store, commits } = recordingStore(options);
  const stub = stubEmbedder(options.parallelism ?? 1);
  const rows: RowCounts[] = [];
  const progress: IngestProgress[] = [];
  const runner = new IngestRunner({
    store,
    embedder: stub.embedder,
    indexWriter: options.indexWriter ?? databaseOnly,
    bucketFor: () => files.bucket,
    batchPassages: options.batchPassages ?? 2,
    observer: { rows: (counts) => rows.push(counts), progress: (p) => progress.push(p) },
  });
  const object = catalogObject({ key: "a.csv", etag: listed.etag, size: listed.size, status: "processing" });
  const order = (overrides: Partial<RunOrder> = {}, started: Partial<CatalogObject> = {}): RunOrder => ({
    job: { objectId: object.id, source: object.source, key: object.key, etag: object.etag, generation: 1 },
    object: { ...object, ...started },
    lease: { objectId: object.id, token: "lease-1" },
    sliceEndsAt: Number.POSITIVE_INFINITY,
    ...overrides,
  });
  return { runner, order, commits, stub, files, rows, progress, listed };
}

/**
 * The stub's model answers its first `answered` requests and holds the others until released
 * (as a model would on a loaded machine); `onRequest` sees each request's number from 1.
 */
function heldEmbedder(
  stub: ReturnType<typeof setUp>["stub"],
  options: { answered: number; onRequest: (n: number) => unknown },
) {
  const embed = stub.embedder.embed.bind(stub.embedder);
  const held: (() => void)[] = [];
  let requests = 0;
  stub.embedder.embed = (texts, embedOptions) => {
    options.onRequest(++requests);
    if (requests <= options.answered) return embed(texts, embedOptions);
    return new Promise<void>((resolve) => held.push(resolve)).then(() => embed(texts, embedOptions));
  };
  return { release: () => held.splice(0).forEach((resolve) => resolve()) };
}

/** What a run that waits for a held model still does after a while (it never ends by itself). */
const stillWaiting = () =>
  new Promise<string>((resolve) => setTimeout(() => resolve("still waiting for the model"), 2000));

const songIds = (commits: IngestBatch[]) => commits.map((c) => c.songs.map((s) => s.song.id));

describe("an ingest run", () => {
  it("commits the object's rows in order, a batch of passages at a time, with where each ends", async () => {
    const { runner, order, commits } = setUp();
    expect(await runner.run(order())).toBe("complete");
    expect(songIds(commits)).toEqual([["s1", "s2"], ["s3", "s4", "s5"], ["s6"]]);
    expect(commits.map((c) => [c.rowsDone, c.linesDone])).toEqual([
      [2, 3],
      [6, 7],
      [7, 8],
    ]);
    expect(commits.map((c) => c.bytesDone)).toEqual(
      [...commits.map((c) => c.bytesDone)].sort((a, b) => a - b),
    );
    expect(commits.at(-1)!.bytesDone).toBe(Buffer.byteLength(sevenRows));
    expect(commits.every((c) => c.lease.token === "lease-1" && c.modelId === 7)).toBe(true);
  });

  it("embeds each passage, gives a song the mean of its vectors, and none to a song without lyrics", async () => {
    const { runner, order, commits, stub } = setUp();
    await runner.run(order());
    expect(stub.requests).toEqual([
      [
        "the sea at night keeps singing me back to the harbour",
        "rain on the roof and the thunder rolling over our small town",
      ],
      [
        "a road to nowhere under a sky that never seems to end",
        "snow in april falls on the blossoms we planted last year",
      ],
      ["fire in the hills and smoke drifting down to the valley below"],
    ]);
    const [s1, , s3] = commits.flatMap((c) => c.songs);
    expect(s1).toMatchObject({
      lyricsStatus: "ok",
      passages: [{ text: "the sea at night keeps singing me back to the harbour" }],
    });
    expect(Array.from(s1!.vector!)).toEqual(Array.from(s1!.passages[0]!.vector));
    expect(s3).toMatchObject({ lyricsStatus: "placeholder", passages: [], vector: null });
    expect(commits[1]!.rowErrors).toEqual([{ line: 5, reason: expect.any(String), kind: "skipped" }]);
    expect(commits.map((c) => c.counts)).toEqual([
      { songs: 2, passages: 2, skipped: 0, errors: 0, changed: 0, reused: 0 },
      { songs: 3, passages: 2, skipped: 1, errors: 1, changed: 0, reused: 0 },
      { songs: 1, passages: 1, skipped: 0, errors: 0, changed: 0, reused: 0 },
    ]);
  });

  it("reports each commit's counts, and the object's totals from where the run started", async () => {
    const { runner, order, rows, progress } = setUp();
    await runner.run(order({}, { songs: 10, passages: 20, skipped: 1, errors: 2 }));
    expect(rows).toHaveLength(3);
    expect(progress.at(-1)).toMatchObject({
      objectId: 1,
      key: "a.csv",
      rowsDone: 7,
      songs: 16,
      passages: 25,
      skipped: 2,
      errors: 3,
    });
  });

  it("resumes after the last commit: the header first, then from the byte that commit reached", async () => {
    const first = setUp();
    await first.runner.run(first.order());
    const [done] = first.commits;
    const resumed = setUp();
    const position = { rowsDone: done!.rowsDone, linesDone: done!.linesDone, bytesDone: done!.bytesDone };
    expect(await resumed.runner.run(resumed.order({}, position))).toBe("complete");
    expect(songIds(resumed.commits)).toEqual([["s3", "s4", "s5"], ["s6"]]);
    expect(resumed.commits.map((c) => c.rowErrors.map((e) => e.line))).toEqual([[5], []]);
    expect(resumed.files.opened).toEqual([
      { key: "a.csv", start: 0 },
      { key: "a.csv", start: done!.bytesDone },
    ]);
  });

  it("reads an object that changed since it was queued not at all", async () => {
    const { runner, order, commits, files } = setUp();
    files.write("a.csv", csvOf(row("x1", "other words")));
    await expect(runner.run(order())).rejects.toMatchObject({ code: "OBJECT_CHANGED" });
    expect(commits).toEqual([]);
  });

  it("stops at the first commit after its slice is over, with every batch sent committed", async () => {
    const { runner, order, commits } = setUp({ parallelism: 4 });
    expect(await runner.run(order({ sliceEndsAt: 0 }))).toBe("sliced");
    expect(songIds(commits)).toEqual([["s1", "s2"]]);
  });

  it("once the worker is asked to stop, commits what is embedded and waits for no model", async () => {
    // Batches [s1 s2], [s4 s5], [s6]: the model answers the first and then nothing, and the
    // worker is asked to stop a moment after the third is sent.
    const { runner, order, commits, stub } = setUp({ parallelism: 1 });
    const stopping = new AbortController();
    const held = heldEmbedder(stub, {
      answered: 1,
      onRequest: (n) => n === 3 && setTimeout(() => stopping.abort(), 20),
    });
    const outcome = await Promise.race([runner.run(order({ stop: stopping.signal })), stillWaiting()]);
    held.release();
    expect(outcome).toBe("sliced");
    expect(songIds(commits)).toEqual([["s1", "s2"]]);
  });

  it("stops at once when asked while it waits for the model, committing nothing unembedded", async () => {
    const { runner, order, commits, stub } = setUp({ parallelism: 1 });
    const stopping = new AbortController();
    const held = heldEmbedder(stub, {
      answered: 0,
      onRequest: (n) => n === 3 && setImmediate(() => stopping.abort()),
    });
    const outcome = await Promise.race([runner.run(order({ stop: stopping.signal })), stillWaiting()]);
    held.release();
    expect(outcome).toBe("sliced");
    expect(commits).toEqual([]);
  });

  it("stops as soon as a commit finds the lease lost, committing nothing more", async () => {
    const { runner, order, commits } = setUp({ leaseLostAtCommit: 2 });
    expect(await runner.run(order())).toBe("lease-lost");
    expect(songIds(commits)).toEqual([["s1", "s2"]]);
  });

  it("sends the next batches to the embedder while the first one commits", async () => {
    const log: string[] = [];
    const recordingWriter: IndexWriter = {
      async apply(commit) {
        const committed = await commit();
        log.push(`commit ${committed?.catalogVersion}`);
        return committed;
      },
    };
    const { runner, order, stub } = setUp({ parallelism: 1, batchPassages: 1, indexWriter: recordingWriter });
    const embed = stub.embedder.embed.bind(stub.embedder);
    stub.embedder.embed = (texts, options) => {
      log.push(`embed ${texts[0]}`);
      return embed(texts, options);
    };
    await runner.run(order());
    // One batch more in flight than the embedder works on: the third is sent before the first commits.
    expect(log.slice(0, 5)).toEqual([
      "embed the sea at night keeps singing me back to the harbour",
      "embed rain on the roof and the thunder rolling over our small town",
      "embed a road to nowhere under a sky that never seems to end",
      "commit 1",
      "embed snow in april falls on the blossoms we planted last year",
    ]);
    expect(log.filter((entry) => entry.startsWith("commit"))).toHaveLength(5);
  });

  it("fails with the embedder's error, committing none of the batches after it", async () => {
    const { runner, order, commits, stub } = setUp({ parallelism: 1 });
    const embed = stub.embedder.embed.bind(stub.embedder);
    stub.embedder.embed = (texts, options) => {
      if (texts[0] === "a road to nowhere under a sky that never seems to end")
        return Promise.reject(new Error("embedder away"));
      return embed(texts, options);
    };
    await expect(runner.run(order())).rejects.toThrow("embedder away");
    expect(songIds(commits)).toEqual([["s1", "s2"]]);
  });
});
