/**
 * `verso reindex`: after the embedding model changed (a stronger remote model, say), every
 * passage still embedded with another model is embedded again from its stored text, a few songs
 * per commit, so that search never mixes vectors of two models (it only ever reads the current
 * model's) and the catalog needs no bucket to be read again. Songs are re-embedded whole; a run
 * stopped midway resumes with the songs still to do.
 */
import type { Embedder } from "../ports.js";
import { meanVector } from "../vectors.js";
import type { IndexWriter } from "./index-writer.js";
import { vectorsOf } from "./vector-reuse.js";
import type { ReembeddedSong, ReembeddingStore, SongToReembed } from "./store.js";

export interface ReindexProgress {
  passagesDone: number;
  passagesTotal: number;
  songsDone: number;
}

export interface ReindexDeps {
  store: ReembeddingStore;
  /** The model to embed with: the current one. */
  embedder: Embedder;
  indexWriter: IndexWriter;
  songsPerCommit?: number;
}

export class CatalogReindex {
  constructor(private readonly deps: ReindexDeps) {}

  /** Re-embeds every passage of another model; answers what it did and which models it replaced. */
  async run(
    onProgress?: (progress: ReindexProgress) => void,
  ): Promise<ReindexProgress & { models: string[] }> {
    const { store, embedder, indexWriter } = this.deps;
    const model = embedder.model;
    const stale = await store.staleEmbeddings(model.name);
    const progress: ReindexProgress = { passagesDone: 0, passagesTotal: stale.passages, songsDone: 0 };
    onProgress?.(progress);
    if (stale.passages === 0) return { ...progress, models: stale.models };
    const modelId = await store.modelId(model);
    for await (const songs of store.songsToReembed(model.name, this.deps.songsPerCommit ?? 32)) {
      const replaced = await this.embed(songs, modelId);
      await indexWriter.apply(() => store.replaceEmbeddings(modelId, replaced));
      progress.passagesDone += replaced.reduce((sum, s) => sum + s.passages.length, 0);
      progress.songsDone += songs.length;
      onProgress?.(progress);
    }
    await store.adoptModel(model.name);
    return { ...progress, models: stale.models };
  }

  /** The songs' passages embedded with the model of `modelId`, each text already stored with it taken as stored. */
  private async embed(songs: SongToReembed[], modelId: number): Promise<ReembeddedSong[]> {
    const texts = songs.flatMap((s) => s.passages.map((p) => p.text));
    const { store, embedder } = this.deps;
    const { vectors, hashes } = await vectorsOf(texts, { store, embedder, modelId });
    let next = 0;
    return songs.map((s) => {
      const passages = s.passages.map((p) => {
        const at = next++;
        return { ...p, vector: vectors[at]!, textHash: hashes[at]! };
      });
      return { songId: s.songId, passages, vector: meanVector(passages.map((p) => p.vector)) };
    });
  }
}
