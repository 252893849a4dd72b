/**
 * One vector per song (the mean of its passages), for the "songs" ranking: a vector index keyed
 * by numbers, filled from the stored song vectors and mapped back to song ids.
 */
import type { SongStore } from "../catalog/store.js";
import { unknownAttributes } from "../catalog/song-filter.js";
import type { EmbeddingModel, VectorIndex } from "../ports.js";
import type { Candidate } from "./fusion.js";

export class SongIndex {
  /** Index keys to song ids. */
  private readonly songIds = new Map<number, string>();

  constructor(private readonly index: VectorIndex) {}

  /** Empties the index and fills it with every song vector of the model; answers how many. */
  async load(store: Pick<SongStore, "streamSongVectors">, model: EmbeddingModel): Promise<number> {
    await this.index.reset(model);
    this.songIds.clear();
    for await (const batch of store.streamSongVectors(model.name)) {
      const entries = batch.map((s) => {
        const id = this.songIds.size + 1;
        this.songIds.set(id, s.songId);
        return { id, vector: s.vector, song: unknownAttributes(s.songId) };
      });
      await this.index.upsert(entries);
    }
    return this.songIds.size;
  }

  /** The songs nearest the vector, nearest first. */
  async search(vector: Float32Array, depth: number): Promise<Candidate[]> {
    const hits = await this.index.search(vector, depth);
    return hits.flatMap((hit) => {
      const songId = this.songIds.get(hit.id);
      return songId ? [{ songId, score: hit.score }] : [];
    });
  }
}
