/**
 * Keeps the vector index a faithful copy of the passages in the catalog. The index is derived
 * data: whenever its stamp does not say "these vectors, this model, this catalog version", it
 * is thrown away and rebuilt from the database, which is cheap next to serving wrong results.
 */
import type { EmbeddingModel, IndexStamp, VectorEntry, VectorIndex } from "../ports.js";

/** What a rebuild reads: every stored passage vector of one model. The SQL layer provides it. */
export interface PassageVectorSource {
  /**
   * Yields batches of entries (id, vector, song attributes) for every passage embedded with
   * this model, each vector L2-normalized with the model's dimension.
   */
  streamPassageVectors(modelName: string): AsyncIterable<VectorEntry[]>;
}

export type IndexSyncReason = "fresh" | "missing" | "model-changed" | "stale";

export interface IndexSyncReport {
  rebuilt: boolean;
  reason: IndexSyncReason;
  /** The stamp found before anything was done. */
  previous: IndexStamp | null;
  /** Entries in the index afterwards. */
  count: number;
  ms: number;
}

export interface EnsureIndexFreshOptions {
  index: VectorIndex;
  model: EmbeddingModel;
  /** The catalog version the source's vectors belong to. */
  catalogVersion: number;
  source: PassageVectorSource;
  /** Entries per upsert; the source's batches are coalesced or split to about this size. */
  batchSize?: number;
  /** Called after each upsert of a rebuild with the running total. */
  onProgress?: (indexed: number) => void;
  /** Rebuild whatever the stamp says (the caller found it could not catch up). */
  force?: boolean;
}

/**
 * Makes the index reflect `catalogVersion` of `model`'s vectors, rebuilding it when its stamp
 * says otherwise. Run it at start, before anything else writes to the index: a worker upserting
 * while the rebuild streams could have its changes overwritten by older rows from the stream.
 */
export async function ensureIndexFresh(options: EnsureIndexFreshOptions): Promise<IndexSyncReport> {
  const started = performance.now();
  const { index, model, catalogVersion, source } = options;
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 1024));
  const previous = await index.stamp();
  const found = staleness(previous, model, catalogVersion);
  const reason = found === "fresh" && options.force ? "stale" : found;
  if (reason === "fresh") {
    return { rebuilt: false, reason, previous, count: await index.size(), ms: performance.now() - started };
  }

  await index.reset(model);
  let pending: VectorEntry[] = [];
  let indexed = 0;
  const upsert = async (entries: VectorEntry[]) => {
    await index.upsert(entries);
    indexed += entries.length;
    options.onProgress?.(indexed);
  };
  for await (const batch of source.streamPassageVectors(model.name)) {
    for (const entry of batch) {
      if (entry.vector.length !== model.dimension) {
        throw new Error(
          `passage ${entry.id} has a ${entry.vector.length}-dimensional vector, model ${model.name} has ${model.dimension}`,
        );
      }
    }
    // Tiny batches cost a native call each and huge ones stall the event loop; even them out.
    let offset = 0;
    if (pending.length > 0) {
      offset = Math.min(batchSize - pending.length, batch.length);
      pending.push(...batch.slice(0, offset));
      if (pending.length === batchSize) {
        await upsert(pending);
        pending = [];
      }
    }
    for (; batch.length - offset >= batchSize; offset += batchSize) {
      await upsert(batch.slice(offset, offset + batchSize));
    }
    if (offset < batch.length) pending.push(...batch.slice(offset));
  }
  if (pending.length > 0) await upsert(pending);
  await index.commit(catalogVersion);

  return { rebuilt: true, reason, previous, count: await index.size(), ms: performance.now() - started };
}

/** Why an index with this stamp cannot serve `model` at `catalogVersion`, or "fresh". */
export function staleness(
  stamp: IndexStamp | null,
  model: EmbeddingModel,
  catalogVersion: number,
): IndexSyncReason {
  if (stamp === null) return "missing";
  if (stamp.model !== model.name || stamp.dimension !== model.dimension) return "model-changed";
  if (stamp.catalogVersion !== catalogVersion) return "stale";
  return "fresh";
}
