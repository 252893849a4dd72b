/**
 * The vector index of a running process follows the catalog: its own commits through `apply`,
 * another process's commits by catching up on refresh, and a rebuild when it starts empty.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSqlCatalogStore } from "../../src/adapters/sql/catalog-store.js";
import { openDatabase, type SqlDatabase } from "../../src/adapters/sql/database.js";
import { createExactIndex } from "../../src/adapters/vectors/exact.js";
import { emptyFeatures } from "../../src/core/catalog/song.js";
import type { CatalogStore, IngestBatch, IngestedSong } from "../../src/core/catalog/store.js";
import type { EmbeddingModel } from "../../src/core/ports.js";
import { LiveIndex } from "../../src/core/search/live-index.js";

const model: EmbeddingModel = { name: "test-model", dimension: 3 };
const unit = (...v: number[]) => Float32Array.from(v, (x) => x / Math.hypot(...v));

const song = (id: string, vectors: Float32Array[]): IngestedSong => ({
  song: {
    id,
    title: id,
    artists: ["A"],
    album: null,
    genre: null,
    language: null,
    releaseDate: null,
    popularity: null,
    features: emptyFeatures(),
    lyrics: "words",
  },
  lyricsStatus: "ok",
  passages: vectors.map((vector, i) => ({ text: `${id} ${i}`, vector })),
  vector: vectors[0] ?? null,
});

describe("the live vector index", () => {
  let database: SqlDatabase;
  let store: CatalogStore;
  let objectId: number;
  const source = () => ({
    catalogVersion: () => store.catalogVersion(),
    streamPassageVectors: (m: string) => store.streamPassageVectors(m),
    streamPassageSongs: (m: string) => store.streamPassageSongs(m),
    passageVectors: (ids: readonly number[]) => store.passageVectors(ids),
  });
  const batch = async (songs: IngestedSong[]): Promise<IngestBatch> => ({
    objectId,
    etag: "e",
    modelId: await store.modelId(model),
    songs,
    rowErrors: [],
    counts: { songs: songs.length, passages: 0, skipped: 0, errors: 0 },
    rowsDone: 1,
    bytesDone: 1,
  });

  beforeEach(async () => {
    database = await openDatabase("sqlite::memory:");
    store = createSqlCatalogStore(database.db);
    const { object } = await store.offerObject(
      "file:///b",
      { key: "k", etag: "e", size: 1, modifiedAt: new Date() },
      model.name,
    );
    objectId = object.id;
    await store.startObject(objectId, "e", model.name);
  });
  afterEach(async () => database.close());

  it("applies its own commits, catches up with another process's, and rebuilds when it starts empty", async () => {
    const live = new LiveIndex(createExactIndex(), model, source());
    expect(await live.refresh()).toEqual({ rebuilt: true, count: 0 });

    const mine = await live.apply(async () =>
      store.commitBatch(await batch([song("s1", [unit(1, 0, 0), unit(1, 1, 0)])])),
    );
    const [first] = mine!.added;
    expect(await live.index.size()).toBe(2);
    expect(live.songOf(first!.id)).toBe("s1");
    // Its own commit leaves nothing to do on refresh.
    expect(await live.refresh()).toEqual({ rebuilt: false, count: 2 });

    // Another process replaces s1's passages and adds s2, straight into the database.
    const other = await store.commitBatch(
      await batch([song("s1", [unit(0, 1, 0)]), song("s2", [unit(0, 0, 1)])]),
    );
    expect(await live.refresh()).toEqual({ rebuilt: false, count: 2 });
    for (const id of mine!.added.map((a) => a.id)) expect(live.songOf(id)).toBeUndefined();
    const [nearest] = await live.search(unit(0, 0, 1), 1);
    expect(nearest!.id).toBe(other!.added.find((a) => a.songId === "s2")!.id);
    expect(live.songOf(nearest!.id)).toBe("s2");
    expect((await live.search(unit(1, 0, 0), 5)).map((h) => h.id).sort()).toEqual(
      other!.added.map((a) => a.id).sort(),
    );

    // A process starting with an empty index rebuilds it from the database.
    const fresh = new LiveIndex(createExactIndex(), model, source());
    expect(await fresh.refresh()).toEqual({ rebuilt: true, count: 2 });
    expect(fresh.songOf(nearest!.id)).toBe("s2");
  });
});
