/**
 * The vector index of a running process, kept in step with the catalog. Ingest commits of this
 * process go through `apply`, which writes the database and then the index under one lock, and
 * stamps the index with the catalog version only when no other process committed in between.
 * Commits of other processes (separate workers, another api) are caught up on `refresh` from
 * the catalog's change log, keyed by catalog version: the work is what changed, never the size
 * of the catalog. Any doubt (a stamp of another model, a log that no longer reaches back that
 * far) rebuilds the index from the database, the source of truth.
 */
import { Mutex } from "async-mutex";
import type { IndexWriter } from "../catalog/index-writer.js";
import type { CatalogChanges, CommittedBatch } from "../catalog/store.js";
import type { EmbeddingModel, VectorHit, VectorIndex, VectorSearchOptions } from "../ports.js";
import { ensureIndexFresh, type PassageVectorSource } from "./index-maintenance.js";

export interface LiveIndexSource extends PassageVectorSource {
  catalogVersion(): Promise<number>;
  /** The passages changed after a version, or null when the log does not reach back that far. */
  changesSince(catalogVersion: number, model: string): Promise<CatalogChanges | null>;
}

export interface RefreshReport {
  rebuilt: boolean;
  count: number;
  /** Passages added and removed by catching up, when it did. */
  caughtUp?: { added: number; removed: number };
}

export class LiveIndex implements IndexWriter {
  private readonly lock = new Mutex();
  /** The catalog version the index is known to reflect; -1 before the first refresh. */
  private version = -1;

  constructor(
    readonly index: VectorIndex,
    private readonly model: EmbeddingModel,
    private readonly source: LiveIndexSource,
    private readonly log: (message: string) => void = () => {},
  ) {}

  /** The catalog version the index reflects, or -1 before the first refresh. */
  get catalogVersion(): number {
    return this.version;
  }

  /** Brings the index up to date with the catalog: catching up where it can, else rebuilding. */
  async refresh(): Promise<RefreshReport> {
    return this.lock.runExclusive(async () => {
      const catalogVersion = await this.source.catalogVersion();
      if (catalogVersion === this.version) return { rebuilt: false, count: await this.index.size() };
      // Known in step at some version (this process's, or a stamp left on disk by an earlier
      // run with the same model): catch up from there.
      const from = this.version >= 0 ? this.version : await this.stampedVersion();
      if (from !== null) {
        const caughtUp = await this.catchUp(from);
        if (caughtUp) return caughtUp;
      }
      return this.rebuild(catalogVersion);
    });
  }

  private async stampedVersion(): Promise<number | null> {
    const stamp = await this.index.stamp();
    const sameModel = stamp && stamp.model === this.model.name && stamp.dimension === this.model.dimension;
    return sameModel ? stamp.catalogVersion : null;
  }

  private async catchUp(from: number): Promise<RefreshReport | null> {
    const changes = await this.source.changesSince(from, this.model.name);
    if (!changes) return null;
    if (changes.removed.length > 0) await this.index.remove(changes.removed);
    let added = 0;
    for await (const batch of changes.added) {
      await this.index.upsert(batch);
      added += batch.length;
    }
    await this.index.commit(changes.catalogVersion);
    this.version = changes.catalogVersion;
    const count = await this.index.size();
    if (added + changes.removed.length === 0) return { rebuilt: false, count };
    this.log(`vector index caught up: ${added} passages added, ${changes.removed.length} removed`);
    return { rebuilt: false, count, caughtUp: { added, removed: changes.removed.length } };
  }

  /**
   * Streams every passage into a fresh index. On a database server, commits may land while
   * the stream runs; catching up from the version read before it makes the result exact.
   */
  private async rebuild(catalogVersion: number): Promise<RefreshReport> {
    const report = await ensureIndexFresh({
      index: this.index,
      model: this.model,
      catalogVersion,
      source: this.source,
      force: true,
    });
    this.log(`vector index rebuilt from the database: ${report.count} vectors in ${report.ms} ms`);
    this.version = catalogVersion;
    const after = await this.catchUp(catalogVersion);
    return { rebuilt: true, count: after?.count ?? report.count };
  }

  /** Runs a database commit and applies its vectors to the index, as one step for this process. */
  async apply(commit: () => Promise<CommittedBatch | null>): Promise<CommittedBatch | null> {
    return this.lock.runExclusive(async () => {
      const before = this.version;
      const committed = await commit();
      if (!committed) return null;
      if (committed.removed.length > 0) await this.index.remove(committed.removed);
      if (committed.added.length > 0) await this.index.upsert(committed.added);
      // Only when nobody else committed in between is the index known to hold this version;
      // otherwise the next refresh catches up from where it was.
      if (committed.catalogVersion === before + 1) {
        this.version = committed.catalogVersion;
        await this.index.commit(committed.catalogVersion);
      }
      return committed;
    });
  }

  search(vector: Float32Array, k: number, options?: VectorSearchOptions): Promise<VectorHit[]> {
    return this.index.search(vector, k, options);
  }

  close(): Promise<void> {
    return this.lock.runExclusive(() => this.index.close());
  }
}
