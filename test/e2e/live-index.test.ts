/**
 * The vector index of a running process follows the catalog: its own commits through `apply`,
 * another process's commits by catching up from the change log on refresh, and a rebuild when
 * it starts empty or the log no longer reaches back far enough. Runs on every SQL dialect.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSqlCatalogStores } from "../../src/adapters/sql/catalog/index.js";
import { createExactIndex } from "../../src/adapters/vectors/exact.js";
import { emptyFeatures } from "../../src/core/catalog/song.js";
import type { CatalogStores, IngestBatch, IngestedSong, Lease } from "../../src/core/catalog/store.js";
import type { EmbeddingModel } from "../../src/core/ports.js";
import { LiveIndex } from "../../src/core/search/live-index.js";
import { openTestDatabase, type TestDatabase } from "../support/databases.js";

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
  let database: TestDatabase;
  let stores: CatalogStores;
  let lease: Lease;
  const source = () => stores.changeLog;
  const batch = async (songs: IngestedSong[]): Promise<IngestBatch> => ({
    lease,
    modelId: await stores.runs.modelId(model),
    songs,
    rowErrors: [],
    counts: { songs: songs.length, passages: 0, skipped: 0, errors: 0, changed: 0 },
    rowsDone: 1,
    linesDone: 2,
    bytesDone: 1,
  });

  beforeEach(async () => {
    database = await openTestDatabase();
    stores = createSqlCatalogStores(database);
    const now = new Date();
    const { object } = await stores.objects.offerObject(
      "file:///b",
      { key: "k", etag: "e", size: 1, modifiedAt: now },
      model.name,
      { failedCooldownMs: 0, now },
    );
    const started = await stores.runs.startObject(
      { objectId: object.id, source: "file:///b", key: "k", etag: "e", generation: object.generation },
      model.name,
      { token: "t", until: new Date(now.getTime() + 60_000), now },
    );
    if (started.status !== "started") throw new Error("not started");
    lease = started.lease;
  });
  afterEach(async () => database.close());

  it("applies its own commits, catches up with another process's, and rebuilds when it starts empty", async () => {
    const live = new LiveIndex(createExactIndex(), model, source());
    expect(await live.refresh()).toMatchObject({ rebuilt: true, count: 0 });

    const mine = await live.apply(async () =>
      stores.runs.commitBatch(await batch([song("s1", [unit(1, 0, 0), unit(1, 1, 0)])])),
    );
    expect(await live.index.size()).toBe(2);
    // Its own commit leaves nothing to do on refresh.
    expect(await live.refresh()).toEqual({ rebuilt: false, count: 2 });

    // Another process replaces s1's passages and adds s2, straight into the database.
    const other = await stores.runs.commitBatch(
      await batch([song("s1", [unit(0, 1, 0)]), song("s2", [unit(0, 0, 1)])]),
    );
    expect(await live.refresh()).toEqual({ rebuilt: false, count: 2, caughtUp: { added: 2, removed: 2 } });
    const [nearest] = await live.search(unit(0, 0, 1), 1);
    expect(nearest).toMatchObject({ id: other!.added.find((a) => a.song.songId === "s2")!.id, songId: "s2" });
    expect((await live.search(unit(1, 0, 0), 5)).map((h) => h.id).sort()).toEqual(
      other!.added.map((a) => a.id).sort(),
    );
    for (const id of mine!.added.map((a) => a.id)) {
      expect((await live.search(unit(1, 0, 0), 5)).map((h) => h.id)).not.toContain(id);
    }

    // A process starting with an empty index rebuilds it from the database.
    const fresh = new LiveIndex(createExactIndex(), model, source());
    expect(await fresh.refresh()).toMatchObject({ rebuilt: true, count: 2 });
    expect((await fresh.search(unit(0, 0, 1), 1))[0]!.songId).toBe("s2");
  });

  it("catches up from the version its stamp holds, and rebuilds when the log no longer reaches back", async () => {
    const index = createExactIndex();
    const live = new LiveIndex(index, model, source());
    await live.refresh();
    await live.apply(async () => stores.runs.commitBatch(await batch([song("s1", [unit(1, 0, 0)])])));
    // Another process started on the same index (its stamp says where it is) catches up.
    await stores.runs.commitBatch(await batch([song("s2", [unit(0, 1, 0)])]));
    const restarted = new LiveIndex(index, model, source());
    expect(await restarted.refresh()).toMatchObject({ rebuilt: false, caughtUp: { added: 1, removed: 0 } });

    await stores.runs.commitBatch(await batch([song("s3", [unit(0, 0, 1)])]));
    await stores.changeLog.pruneChanges(0);
    expect(await restarted.refresh()).toMatchObject({ rebuilt: true, count: 3 });
  });
});
