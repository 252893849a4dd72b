/**
 * Whether the catalog is being re-embedded with the model in use, and how far: read once per
 * catalog version, since every commit of `verso reindex` (and of ingest) moves the version.
 */
import type { SongStore } from "../catalog/store.js";
import type { Reembedding } from "./types.js";

export type ReembeddingProgressStore = Pick<SongStore, "embeddedSongs">;

export class ReembeddingProgress {
  private read: { catalogVersion: number; progress: Promise<Reembedding | null> } | undefined;

  constructor(
    private readonly store: ReembeddingProgressStore,
    private readonly model: string,
  ) {}

  /** Null when every song with lyrics has the model's vectors. */
  at(catalogVersion: number): Promise<Reembedding | null> {
    if (this.read?.catalogVersion === catalogVersion) return this.read.progress;
    const progress = this.store
      .embeddedSongs(this.model)
      .then(({ done, total }) => (done < total ? { model: this.model, done, total } : null));
    const read = { catalogVersion, progress };
    this.read = read;
    // A failed read is asked again by the next answer rather than kept for the whole version.
    progress.catch(() => {
      if (this.read === read) this.read = undefined;
    });
    return progress;
  }
}
