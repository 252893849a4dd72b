/**
 * The vector index of a running process, kept in step with the catalog. Ingest commits go
 * through `apply`, which writes the database and then the index under one lock, and stamps
 * the index with the catalog version only when no other process committed in between. Any
 * doubt (a foreign commit, a crash between the two writes, a model change) leaves the stamp
 * behind the catalog, and `refresh` rebuilds the index from the database, the source of truth.
 *
 * It also knows the song of every indexed passage, as a remote engine returns a stored field
 * with each hit, so a search is grouped by song without another query.
 */
import { Mutex } from "async-mutex";
import type { CommittedBatch } from "../catalog/store.js";
import type { EmbeddingModel, VectorHit, VectorIndex } from "../ports.js";
import { ensureIndexFresh, type PassageVectorSource } from "./index-maintenance.js";

export interface LiveIndexSource extends PassageVectorSource {
  catalogVersion(): Promise<number>;
  streamPassageSongs(model: string): AsyncIterable<{ id: number; songId: string }[]>;
}

export class LiveIndex {
  private readonly lock = new Mutex();
  /** The catalog version the index is known to reflect. */
  private version = -1;
  private readonly songs = new Map<number, string>();

  constructor(
    readonly index: VectorIndex,
    private readonly model: EmbeddingModel,
    private readonly source: LiveIndexSource,
    private readonly log: (message: string) => void = () => {},
  ) {}

  /** Brings the index up to date with the catalog, rebuilding it when it is missing or stale. */
  async refresh(): Promise<{ rebuilt: boolean; count: number }> {
    return this.lock.runExclusive(async () => {
      const catalogVersion = await this.source.catalogVersion();
      if (catalogVersion === this.version) return { rebuilt: false, count: await this.index.size() };
      const report = await ensureIndexFresh({
        index: this.index,
        model: this.model,
        catalogVersion,
        source: this.source,
      });
      if (report.rebuilt)
        this.log(`vector index rebuilt from the database: ${report.count} vectors in ${report.ms} ms`);
      this.songs.clear();
      for await (const batch of this.source.streamPassageSongs(this.model.name)) {
        for (const { id, songId } of batch) this.songs.set(id, songId);
      }
      this.version = catalogVersion;
      return { rebuilt: report.rebuilt, count: report.count };
    });
  }

  /** Runs a database commit and applies its vectors to the index, as one step for this process. */
  async apply(commit: () => Promise<CommittedBatch | null>): Promise<CommittedBatch | null> {
    return this.lock.runExclusive(async () => {
      const before = this.version;
      const committed = await commit();
      if (!committed) return null;
      if (committed.removed.length > 0) await this.index.remove(committed.removed);
      if (committed.added.length > 0) await this.index.upsert(committed.added);
      for (const id of committed.removed) this.songs.delete(id);
      for (const { id, songId } of committed.added) this.songs.set(id, songId);
      if (committed.catalogVersion === before + 1) {
        this.version = committed.catalogVersion;
        await this.index.commit(committed.catalogVersion);
      }
      return committed;
    });
  }

  search(vector: Float32Array, k: number): Promise<VectorHit[]> {
    return this.index.search(vector, k);
  }

  /** The song of an indexed passage; undefined for a passage this process has not seen. */
  songOf(passageId: number): string | undefined {
    return this.songs.get(passageId);
  }

  close(): Promise<void> {
    return this.lock.runExclusive(() => this.index.close());
  }
}
