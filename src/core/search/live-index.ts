/**
 * The vector index of a running process, kept in step with the catalog. Ingest commits go
 * through `apply`, which writes the database and then the index under one lock, and stamps
 * the index with the catalog version only when no other process committed in between. Any
 * doubt (a foreign commit, a crash between the two writes, a model change) leaves the stamp
 * behind the catalog, and `refresh` rebuilds the index from the database, the source of truth.
 */
import { Mutex } from "async-mutex";
import type { CommittedBatch } from "../catalog/store.js";
import type { EmbeddingModel, VectorHit, VectorIndex } from "../ports.js";
import { ensureIndexFresh, type PassageVectorSource } from "./index-maintenance.js";

export interface LiveIndexSource extends PassageVectorSource {
  catalogVersion(): Promise<number>;
}

export class LiveIndex {
  private readonly lock = new Mutex();
  /** The catalog version the index is known to reflect. */
  private version = -1;

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

  close(): Promise<void> {
    return this.lock.runExclusive(() => this.index.close());
  }
}
