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
import type { EmbeddingModel, VectorEntry, VectorHit, VectorIndex } from "../ports.js";
import { ensureIndexFresh, type PassageVectorSource } from "./index-maintenance.js";

export interface LiveIndexSource extends PassageVectorSource {
  catalogVersion(): Promise<number>;
  streamPassageSongs(model: string): AsyncIterable<{ id: number; songId: string }[]>;
  passageVectors(ids: readonly number[]): Promise<VectorEntry[]>;
}

export class LiveIndex {
  private readonly lock = new Mutex();
  /** The catalog version the index is known to reflect. */
  private version = -1;
  private songs = new Map<number, string>();

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
      if (this.version >= 0) return this.catchUp(catalogVersion);
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

  /**
   * Another process changed the catalog since this one was in step: apply what changed,
   * found by comparing the passages the index holds with those in the database, instead of
   * rebuilding everything (an ingest next door would otherwise cost a rebuild per refresh).
   */
  private async catchUp(catalogVersion: number): Promise<{ rebuilt: boolean; count: number }> {
    const current = new Map<number, string>();
    for await (const batch of this.source.streamPassageSongs(this.model.name)) {
      for (const { id, songId } of batch) current.set(id, songId);
    }
    const removed = [...this.songs.keys()].filter((id) => !current.has(id));
    const added = [...current.keys()].filter((id) => !this.songs.has(id));
    if (removed.length > 0) await this.index.remove(removed);
    for (let i = 0; i < added.length; i += 1024) {
      await this.index.upsert(await this.source.passageVectors(added.slice(i, i + 1024)));
    }
    this.songs = current;
    await this.index.commit(catalogVersion);
    this.version = catalogVersion;
    if (added.length + removed.length > 0) {
      this.log(`vector index caught up: ${added.length} passages added, ${removed.length} removed`);
    }
    return { rebuilt: false, count: await this.index.size() };
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
