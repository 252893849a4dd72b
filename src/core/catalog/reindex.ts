/**
 * `verso reindex`: after the embedding model changed (a stronger remote model, say), every
 * passage still embedded with another model is embedded again from its stored text, a few songs
 * per commit, so that search never mixes vectors of two models (it only ever reads the current
 * model's) and the catalog needs no bucket to be read again. Songs are re-embedded whole; a run
 * stopped midway resumes with the songs still to do.
 */
import type { Embedder } from "../ports.js";
import type { LiveIndex } from "../search/live-index.js";
import { meanVector } from "../vectors.js";
import type { CatalogStore } from "./store.js";

export interface ReindexProgress {
  passagesDone: number;
  passagesTotal: number;
  songsDone: number;
}

export async function reindexCatalog(options: {
  store: CatalogStore;
  embedder: Embedder;
  index: LiveIndex;
  songsPerCommit?: number;
  onProgress?: (progress: ReindexProgress) => void;
}): Promise<ReindexProgress & { models: string[] }> {
  const { store, embedder, index } = options;
  const model = embedder.model;
  const stale = await store.staleEmbeddings(model.name);
  const progress: ReindexProgress = { passagesDone: 0, passagesTotal: stale.passages, songsDone: 0 };
  options.onProgress?.(progress);
  if (stale.passages === 0) return { ...progress, models: stale.models };
  const modelId = await store.modelId(model);
  for await (const songs of store.songsToReembed(model.name, options.songsPerCommit ?? 32)) {
    const texts = songs.flatMap((s) => s.passages.map((p) => p.text));
    const vectors = texts.length > 0 ? await embedder.embed(texts, { priority: "bulk" }) : [];
    let next = 0;
    const replaced = songs.map((s) => {
      const passages = s.passages.map((p) => ({ ...p, vector: vectors[next++]! }));
      return { songId: s.songId, passages, vector: meanVector(passages.map((p) => p.vector)) };
    });
    await index.apply(() => store.replaceEmbeddings(modelId, replaced));
    progress.passagesDone += texts.length;
    progress.songsDone += songs.length;
    options.onProgress?.(progress);
  }
  await store.adoptModel(model.name);
  return { ...progress, models: stale.models };
}
