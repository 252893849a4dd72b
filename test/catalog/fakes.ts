/**
 * Stand-ins for the fast tests of the catalog's use cases: catalog objects and songs, a bucket
 * held in memory, and an embedder that needs no model. No database, no files, no model.
 */
import { Readable } from "node:stream";
import { VersoError } from "../../src/core/errors.js";
import type { SongRow } from "../../src/core/catalog/layout.js";
import { emptyFeatures } from "../../src/core/catalog/song.js";
import type { CatalogObject, IngestBatch } from "../../src/core/catalog/store.js";
import type { Bucket, BucketObject, Embedder } from "../../src/core/ports.js";

export const T0 = new Date("2026-12-01T12:00:00.000Z");

/** A queued object of the bucket `file:///bucket`; `overrides` set what a test cares about. */
export const catalogObject = (overrides: Partial<CatalogObject> = {}): CatalogObject => ({
  id: 1,
  source: "file:///bucket",
  key: "a.csv",
  etag: "e1",
  size: 1000,
  status: "queued",
  model: "stub-model",
  songs: 0,
  passages: 0,
  skipped: 0,
  errors: 0,
  changed: 0,
  removed: 0,
  reused: 0,
  rowsDone: 0,
  linesDone: 0,
  bytesDone: 0,
  error: null,
  queuedAt: T0.toISOString(),
  startedAt: null,
  finishedAt: null,
  durationMs: null,
  generation: 1,
  deliveries: 0,
  enqueuedAt: T0.toISOString(),
  leaseExpiresAt: null,
  transientSince: null,
  ...overrides,
});

/**
 * The passage vectors a store keeps by model and text hash, as IngestRunStore.storedVectors
 * answers them: `record` files those of a commit (the first vector of each text stays), and
 * `lookups` keeps the hashes each call asked for.
 */
export function passageVectorMemory() {
  const byModel = new Map<number, Map<string, Float32Array>>();
  const lookups: string[][] = [];
  return {
    lookups,
    async storedVectors(modelId: number, textHashes: readonly string[]): Promise<Map<string, Float32Array>> {
      lookups.push([...textHashes]);
      const stored = byModel.get(modelId);
      const found = new Map<string, Float32Array>();
      for (const hash of textHashes) {
        const vector = stored?.get(hash);
        if (vector) found.set(hash, vector);
      }
      return found;
    },
    record(batch: IngestBatch): void {
      const stored = byModel.get(batch.modelId) ?? new Map<string, Float32Array>();
      byModel.set(batch.modelId, stored);
      for (const { passages } of batch.songs) {
        for (const { textHash, vector } of passages)
          if (textHash && !stored.has(textHash)) stored.set(textHash, vector);
      }
    },
  };
}

/** A song as a catalog CSV gives it. */
export const songRow = (id: string, overrides: Partial<SongRow> = {}): SongRow => ({
  id,
  title: `Title ${id}`,
  artists: ["Artist"],
  album: null,
  genre: "pop",
  language: "en",
  releaseDate: "2020-01-01",
  popularity: 10,
  features: { ...emptyFeatures(), energy: 0.5 },
  lyrics: `lyrics of ${id}`,
  ...overrides,
});

/** A bucket of text objects; each object's etag is its version number, bumped by `write`. */
export function memoryBucket(url = "file:///bucket") {
  const objects = new Map<string, { text: string; etag: string }>();
  const refused = new Map<string, string>();
  const opened: { key: string; start: number }[] = [];
  const bucket: Bucket & { partial?: boolean } = {
    url,
    async *list(): AsyncIterable<BucketObject> {
      for (const [key, { text, etag }] of objects) {
        yield { key, etag, size: Buffer.byteLength(text), modifiedAt: T0 };
      }
      for (const [key, reason] of refused)
        yield { key, etag: "refused", size: 0, modifiedAt: T0, refused: reason };
    },
    async open(key, options = {}) {
      const object = objects.get(key);
      if (!object) throw new VersoError("OBJECT_NOT_FOUND", `no object ${key}`);
      if (options.etag !== undefined && options.etag !== object.etag) {
        throw new VersoError("OBJECT_CHANGED", `${key} changed since it was listed`);
      }
      const start = options.start ?? 0;
      opened.push({ key, start });
      return Readable.from([Buffer.from(object.text).subarray(start)]);
    },
  };
  return {
    bucket,
    /** Where each read started, in order. */
    opened,
    write(key: string, text: string) {
      const etag = String(Number(objects.get(key)?.etag ?? 0) + 1);
      objects.set(key, { text, etag });
      return { key, etag, size: Buffer.byteLength(text), modifiedAt: T0 };
    },
    remove: (key: string) => objects.delete(key),
    /** Lists `key` as an entry the bucket will not read, for `reason`. */
    refuse(key: string, reason: string) {
      refused.set(key, reason);
    },
  };
}

/**
 * An embedder without a model: each text's vector is a unit vector that depends on its length,
 * given after a turn of the event loop. It records each request's texts; `failWith` makes the
 * next requests fail.
 */
export function stubEmbedder(parallelism = 1) {
  const requests: string[][] = [];
  const state: { failure: Error | null } = { failure: null };
  const embedder: Embedder = {
    model: { name: "stub-model", dimension: 2 },
    parallelism,
    async embed(texts) {
      requests.push([...texts]);
      await new Promise((resolve) => setImmediate(resolve));
      if (state.failure) throw state.failure;
      return texts.map((text) => {
        const angle = text.length / 10;
        return Float32Array.from([Math.cos(angle), Math.sin(angle)]);
      });
    },
    ready: async () => {},
    close: async () => {},
  };
  return {
    embedder,
    requests,
    failWith(error: Error | null) {
      state.failure = error;
    },
  };
}
