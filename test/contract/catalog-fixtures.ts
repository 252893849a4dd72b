/**
 * What the catalog's contract suites share: the stores under test, songs and vectors to commit,
 * and the steps every suite takes to get there (offer an object, take its lease, commit).
 */
import { afterEach, beforeEach } from "vitest";
import { jobOf } from "../../src/core/catalog/crawler.js";
import type { SongRow } from "../../src/core/catalog/layout.js";
import type {
  CatalogObject,
  CatalogStores,
  IngestBatch,
  IngestedSong,
  Lease,
  SongPageStore,
  SongStore,
} from "../../src/core/catalog/store.js";
import type { BucketObject, EmbeddingModel } from "../../src/core/ports.js";

/** Songs as a catalog CSV gives them. */
export { songRow } from "../catalog/fakes.js";

/** Every catalog store over one database, with the song store that reads what they write. */
export interface CatalogContractStores extends CatalogStores {
  songs: SongStore & SongPageStore;
  close(): Promise<void>;
}

export type OpenCatalogStores = () => Promise<CatalogContractStores>;

export const model: EmbeddingModel = { name: "test-model", dimension: 4 };
export const SOURCE = "file:///bucket";
export const HOUR = 3600_000;

export const unit = (...values: number[]): Float32Array => {
  const v = Float32Array.from(values);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
};

export const listed = (key: string, etag = "e1", size = 100): BucketObject => ({
  key,
  etag,
  size,
  modifiedAt: new Date(),
});

/** A song as ingest commits it; its lyrics count as lyrics unless they are empty (full-text tests need no vectors). */
export const ingested = (song: SongRow, vectors: Float32Array[]): IngestedSong => ({
  song,
  lyricsStatus: vectors.length > 0 || song.lyrics.trim() !== "" ? "ok" : "missing",
  passages: vectors.map((vector, i) => ({ text: `${song.id} passage ${i}`, vector })),
  vector: vectors[0] ?? null,
});

export const leaseFor = (token: string, now: Date) => ({
  token,
  until: new Date(now.getTime() + 30_000),
  now,
});

export async function collect<T>(batches: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const batch of batches) out.push(...batch);
  return out;
}

/**
 * Fresh stores for each test (closed after it), a fixed "now", and the steps to an object
 * whose run can commit.
 */
export function catalogFixture(open: OpenCatalogStores) {
  let stores: CatalogContractStores | undefined;
  let now = new Date();
  beforeEach(async () => {
    stores = await open();
    now = new Date("2026-12-01T12:00:00.000Z");
  });
  afterEach(async () => stores?.close());

  const fixture = {
    get stores(): CatalogContractStores {
      if (!stores) throw new Error("the stores open before each test");
      return stores;
    },
    get now(): Date {
      return now;
    },

    offer: (key: string, etag = "e1", options: { force?: boolean; at?: Date; model?: string } = {}) =>
      fixture.stores.objects.offerObject(SOURCE, listed(key, etag), options.model ?? model.name, {
        failedCooldownMs: HOUR,
        now: options.at ?? now,
        ...(options.force ? { force: true } : {}),
      }),

    take: (object: CatalogObject, token = "worker-1", at = now) =>
      fixture.stores.runs.startObject(jobOf(object), model.name, leaseFor(token, at)),

    async startedObject(key = "a.csv", etag = "e1"): Promise<{ object: CatalogObject; lease: Lease }> {
      const { object } = await fixture.offer(key, etag);
      const outcome = await fixture.take(object);
      if (outcome.status !== "started") throw new Error(`object did not start: ${outcome.status}`);
      return { object: outcome.object, lease: outcome.lease };
    },

    async batchOf(
      lease: Lease,
      list: IngestedSong[],
      extra: Partial<IngestBatch> = {},
    ): Promise<IngestBatch> {
      return {
        lease,
        modelId: await fixture.stores.runs.modelId(model),
        songs: list,
        rowErrors: [],
        counts: {
          songs: list.length,
          passages: list.reduce((s, x) => s + x.passages.length, 0),
          skipped: list.filter((x) => x.passages.length === 0).length,
          errors: 0,
          changed: 0,
        },
        rowsDone: list.length,
        linesDone: list.length + 1,
        bytesDone: 10,
        ...extra,
      };
    },

    /** Commits the songs in a run of a new object, and ends it done. */
    async ingestedObject(
      key: string,
      list: IngestedSong[],
    ): Promise<{ object: CatalogObject; lease: Lease }> {
      const started = await fixture.startedObject(key);
      await fixture.stores.runs.commitBatch(await fixture.batchOf(started.lease, list));
      await fixture.stores.runs.finishObject(started.lease, { status: "done" }, now);
      return started;
    },
  };
  return fixture;
}

export type CatalogFixture = ReturnType<typeof catalogFixture>;
