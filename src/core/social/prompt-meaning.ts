/**
 * Finding prompts by meaning as well as by their words: each published prompt keeps a vector
 * by the same model as the catalog, and a search ranks prompts by a fusion of their similarity
 * to the query and the full-text match. Prompts are few per installation, so their vectors are
 * scored in process; a prompt whose similarity is under a floor shows only when its words match.
 */
import { isVersoError } from "../errors.js";
import type { Embedder } from "../ports.js";
import { parsePrompt } from "../search/prompt.js";
import type { PromptStore, PromptText, PromptVectorStore } from "./store.js";

export type PromptEmbedder = Pick<Embedder, "model" | "embed">;

export interface PromptMeaningDeps {
  prompts: Pick<PromptStore, "matchWords">;
  vectors: PromptVectorStore;
  embedder: PromptEmbedder;
}

/**
 * The similarity (cosine) from which a prompt counts as about the same thing as the query: on
 * the built-in model "sea" is 0.76 from "songs about the ocean" and "boats" 0.73 from "songs
 * about fishermen and boats", while unrelated prompts and nonsense stay near 0.45.
 */
export const SIMILARITY_FLOOR = 0.6;
/** At most this many word matches enter a ranking: far more than an installation's prompts. */
export const MAX_WORD_MATCHES = 5_000;
/** Prompts without a vector (published before vectors, or while the embedder was away) embedded per search. */
const BACKFILL_PER_SEARCH = 256;
const BACKFILL_BATCH = 32;

export interface ScoredPrompt {
  id: number;
  /** Higher is better; depends on the prompt and the query only, so a (score, id) cursor holds. */
  score: number;
}

/**
 * What a prompt's vector is made of: its topic, without the words that only ask for songs
 * ("songs about the ocean" → "the ocean"), as a search's prompt is read; else the text itself.
 */
export function meaningText(text: string): string {
  try {
    return parsePrompt(text).text;
  } catch {
    return text;
  }
}

/**
 * The fusion: the full-text score (the share of the prompt the words make up, 0 when they do
 * not all match) plus how far the similarity is above the floor, scaled to 0..1. Null when
 * neither says the prompt is about the query.
 */
export function fusedScore(wordScore: number, similarity: number): number | null {
  const meaning =
    similarity >= SIMILARITY_FLOOR ? (similarity - SIMILARITY_FLOOR) / (1 - SIMILARITY_FLOOR) : 0;
  return wordScore > 0 || similarity >= SIMILARITY_FLOOR ? wordScore + meaning : null;
}

const dot = (a: Float32Array, b: Float32Array): number => {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += a[i]! * b[i]!;
  return sum;
};

/**
 * Whether the embedder failed in a way it reports (down, loading, a remote one's error): the
 * vectors are derived data, so publishing and searching by words go on without them.
 */
const embedderFailure = (error: unknown): boolean => isVersoError(error);

export class PromptMeaning {
  constructor(private readonly deps: PromptMeaningDeps) {}

  /**
   * Gives these prompt texts their vectors. An embedder that cannot answer now leaves them
   * without one, for a later search to fill in (false): publishing never fails for it.
   */
  async remember(texts: readonly PromptText[]): Promise<boolean> {
    if (texts.length === 0) return true;
    const { embedder, vectors } = this.deps;
    const made = await this.embed(texts.map((t) => meaningText(t.text)));
    if (!made) return false;
    for (const [i, text] of texts.entries()) {
      await vectors.put({
        promptId: text.promptId,
        model: embedder.model.name,
        vector: made[i]!,
        updatedAt: text.updatedAt,
      });
    }
    return true;
  }

  /** Embeds prompts that have no vector of their current text yet, a bounded number per call. */
  async catchUp(): Promise<void> {
    const model = this.deps.embedder.model.name;
    for (let done = 0; done < BACKFILL_PER_SEARCH; done += BACKFILL_BATCH) {
      const missing = await this.deps.vectors.missing(model, BACKFILL_BATCH);
      // The embedder away: the next search tries again.
      if (missing.length === 0 || !(await this.remember(missing))) return;
    }
  }

  /** The texts' vectors, or null when the embedder cannot answer now. */
  private async embed(texts: string[]): Promise<Float32Array[] | null> {
    try {
      return await this.deps.embedder.embed(texts, { priority: "interactive" });
    } catch (error) {
      if (embedderFailure(error)) return null;
      throw error;
    }
  }

  /**
   * Every prompt the query's words match or whose meaning is near it, best first (newest first
   * among equals), after `after` in that order, at most `limit`.
   */
  async rank(query: {
    text: string;
    terms: readonly string[];
    after: ScoredPrompt | null;
    limit: number;
  }): Promise<ScoredPrompt[]> {
    await this.catchUp();
    // Without the embedder (loading, away), prompts are found by their words alone meanwhile.
    const queryVector = (await this.embed([meaningText(query.text)]))?.[0];
    const [words, stored] = await Promise.all([
      query.terms.length > 0 ? this.deps.prompts.matchWords(query.terms, MAX_WORD_MATCHES) : [],
      this.deps.vectors.all(this.deps.embedder.model.name),
    ]);
    const wordScores = new Map(words.map((w) => [w.id, w.score]));
    const similarities = new Map(
      queryVector
        ? stored
            .filter((s) => s.vector.length === queryVector.length)
            .map((s) => [s.promptId, dot(queryVector, s.vector)])
        : [],
    );
    const scored: ScoredPrompt[] = [];
    for (const id of new Set([...wordScores.keys(), ...similarities.keys()])) {
      const score = fusedScore(wordScores.get(id) ?? 0, similarities.get(id) ?? -1);
      if (score !== null) scored.push({ id, score });
    }
    const { after } = query;
    return scored
      .filter((s) => !after || s.score < after.score || (s.score === after.score && s.id < after.id))
      .sort((a, b) => b.score - a.score || b.id - a.id)
      .slice(0, query.limit);
  }
}
