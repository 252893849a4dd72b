/**
 * After the embedding model changed, `verso reindex` embeds every passage again from its
 * stored text with the new model: afterwards no passage of the old model is left, the vector
 * index holds only the new model's vectors, and the crawler does not ingest the bucket again.
 * A text that two songs share is embedded once.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExactIndex } from "../../src/adapters/vectors/exact.js";
import { CatalogReindex, type ReindexProgress } from "../../src/core/catalog/reindex.js";
import type { Embedder } from "../../src/core/ports.js";
import { LiveIndex } from "../../src/core/search/live-index.js";
import { normalizeInPlace } from "../../src/core/vectors.js";
import { ingestOnce } from "../../src/roles/ingest-once.js";
import { openTestVerso, tempDir, writeCsv } from "../support/verso.js";

/** Another model: deterministic vectors from a hash of each text (what it embeds is beside the point). */
function hashEmbedder(): Embedder & { texts: string[] } {
  const texts: string[] = [];
  return {
    model: { name: "hash-test-v1", dimension: 64 },
    parallelism: 1,
    texts,
    async embed(batch) {
      texts.push(...batch);
      return batch.map((text) => {
        const bytes = createHash("sha512").update(text).digest();
        return normalizeInPlace(Float32Array.from(bytes, (b) => b - 127.5))!;
      });
    },
    ready: async () => {},
    close: async () => {},
  };
}

describe("reindexing the catalog with another model", () => {
  const bucket = tempDir("verso-reindex-");
  let t: Awaited<ReturnType<typeof openTestVerso>>;
  beforeAll(async () => {
    const lyric = (w: string) =>
      `${w} in the morning\n${w} at night\n\n${w} is all I know\nso I hold it tight`;
    writeCsv(
      path.join(bucket, "a.csv"),
      ["id", "name", "artists", "lyrics"],
      [
        ["s1", "Sea", "['A']", lyric("the sea")],
        ["s2", "Rain", "['A']", lyric("the rain")],
        ["s3", "None", "['A']", ""],
        // The same words as s1: its passages take the vectors of s1's.
        ["s4", "Sea (Live)", "['A']", lyric("the sea")],
      ],
    );
    t = await openTestVerso();
    await ingestOnce(t.verso, `file://${bucket}`);
  }, 120_000);
  afterAll(async () => {
    await t.close();
    fs.rmSync(bucket, { recursive: true, force: true });
  });

  it("re-embeds every passage from its text, each text once, and leaves nothing of the old model", async () => {
    const { reembedding, changeLog, objects } = await t.verso.catalogStores();
    const songs = await t.verso.songStore();
    const oldModel = (await t.verso.embedder()).model.name;
    const before = await songs.passagesOfSongs(["s1", "s2", "s4"], oldModel);
    const embedder = hashEmbedder();
    expect(await reembedding.staleEmbeddings(embedder.model.name)).toEqual({
      songs: 3,
      passages: before.length,
      models: [oldModel],
    });
    const index = new LiveIndex(createExactIndex(), embedder.model, changeLog);
    await index.refresh();
    expect(await index.index.size()).toBe(0);

    const progress: ReindexProgress[] = [];
    const result = await new CatalogReindex({
      store: reembedding,
      embedder,
      indexWriter: index,
      songsPerCommit: 1,
    }).run((p) => progress.push({ ...p }));
    expect(result).toMatchObject({ passagesDone: before.length, passagesTotal: before.length, songsDone: 3 });
    expect(progress.map((p) => p.songsDone)).toEqual([0, 1, 2, 3]);
    const distinct = [...new Set(before.map((p) => p.text))];
    expect(distinct.length).toBeLessThan(before.length);
    expect(embedder.texts.sort()).toEqual(distinct.sort());

    const after = await songs.passagesOfSongs(["s1", "s2", "s4"], embedder.model.name);
    expect(after.map((p) => [p.songId, p.ordinal, p.text])).toEqual(
      before.map((p) => [p.songId, p.ordinal, p.text]),
    );
    const vectorOf = (id: string, ordinal: number) => [
      ...after.find((p) => p.songId === id && p.ordinal === ordinal)!.vector,
    ];
    expect(vectorOf("s4", 0)).toEqual(vectorOf("s1", 0));
    expect(await songs.passagesOfSongs(["s1", "s2", "s4"], oldModel)).toEqual([]);
    expect((await songs.songVectors(["s1", "s2", "s3", "s4"], embedder.model.name)).size).toBe(3);
    expect(await reembedding.staleEmbeddings(embedder.model.name)).toMatchObject({ passages: 0 });
    expect(await index.index.size()).toBe(after.length);
    const [hit] = await index.search(after[0]!.vector, 1);
    expect(hit).toMatchObject({ id: after[0]!.id, songId: after[0]!.songId });

    // The objects count as ingested with the new model: a crawl with it queues nothing.
    for await (const listed of t.verso.bucketFor(`file://${bucket}`).list()) {
      const offered = await objects.offerObject(`file://${bucket}`, listed, embedder.model.name, {
        failedCooldownMs: 0,
        now: new Date(),
      });
      expect(offered.enqueue).toBe(false);
    }
    const again = new CatalogReindex({ store: reembedding, embedder, indexWriter: index });
    expect((await again.run()).passagesTotal).toBe(0);
  });
});
