/**
 * The rankings `npm run eval` compares, each a search service over the same catalog without a
 * cache, and how each is scored on a judged set.
 */
import { createExactIndex } from "../src/adapters/vectors/exact.js";
import type { Verso } from "../src/compose/index.js";
import type { Cache, Embedder } from "../src/core/ports.js";
import type { FitCandidate } from "../src/core/search/fit-features.js";
import { promptLanguage } from "../src/core/search/prompt-language.js";
import { SearchService, type Ranking, type RankingTuning } from "../src/core/search/search-service.js";
import { mean, scoreRanking, type JudgedPrompt, type Judgments } from "./judged-set.js";

export interface Variant {
  name: string;
  ranking: Ranking;
  tuning?: Partial<RankingTuning>;
  /** Whether prompts in another language are translated, when a translator is configured (default true). */
  translate?: boolean;
}

/** The plain fusion the judgments' README names as the reference: RRF (k = 60) of best passage and full text. */
export const referenceFusion: Variant = {
  name: "reference: best passage + full text, reciprocal rank fusion (k = 60)",
  ranking: "hybrid",
  tuning: {
    fusion: "rrf",
    rrfK: 60,
    fusionDepth: 15,
    secondPassageWeight: 0,
    songWeight: 0,
    modelLanguage: undefined,
    collapseDuplicates: false,
    stopWords: false,
  },
  translate: false,
};

/** The linear fusion of this model's weights that ranked before the fit model. */
export const linearFusion: Variant = {
  name: "linear fusion of this model's weights (the ranking before the fit model)",
  ranking: "hybrid",
  tuning: { fusion: "linear", stopWords: false },
};

export const defaultVariant: Variant = { name: "default (this model's tuning)", ranking: "hybrid" };

export const variants: Variant[] = [
  { name: "one vector per song (mean of its passages)", ranking: "songs" },
  { name: "best passage", ranking: "passages", tuning: { secondPassageWeight: 0 } },
  { name: "full text", ranking: "lexical", tuning: { stopWords: false } },
  { name: "full text without function words", ranking: "lexical" },
  referenceFusion,
  linearFusion,
  { name: "linear fusion without function words", ranking: "hybrid", tuning: { fusion: "linear" } },
  { ...defaultVariant, name: "default without translation", translate: false },
  defaultVariant,
];

export const noCache: Cache = {
  get: async () => undefined,
  set: async () => {},
  delete: async () => {},
  increment: async () => 1,
  close: async () => {},
};

/** Every variant embeds the same prompts: each is embedded once. */
export function rememberingEmbedder(embedder: Embedder): Embedder {
  const seen = new Map<string, Promise<Float32Array[]>>();
  return {
    model: embedder.model,
    parallelism: embedder.parallelism,
    ready: () => embedder.ready(),
    close: async () => {},
    embed(texts, options) {
      const key = JSON.stringify(texts);
      let vectors = seen.get(key);
      if (!vectors) seen.set(key, (vectors = embedder.embed(texts, options)));
      return vectors;
    },
  };
}

/** The search service of a variant, over the catalog of a composed Verso, without a cache. */
export async function evaluationSearch(verso: Verso, variant: Variant, embedder?: Embedder) {
  const songIndex = variant.ranking === "songs" ? createExactIndex() : undefined;
  const { changeLog } = await verso.catalogStores();
  const search = new SearchService({
    store: await verso.songStore(),
    index: await verso.index(),
    embedder: embedder ?? (await verso.embedder()),
    translator: variant.translate === false ? undefined : await verso.translator(),
    thesaurus: await verso.thesaurus(),
    cache: noCache,
    cacheTtlSeconds: 0,
    catalogVersion: () => changeLog.catalogVersion(),
    ranking: variant.ranking,
    tuning: variant.tuning ?? {},
    ...(songIndex ? { songIndex } : {}),
  });
  if (songIndex) await search.loadSongIndex();
  return search;
}

export interface PromptScore extends JudgedPrompt {
  language: string;
  ndcg: number;
  precision: number;
  unjudged: number;
  /** The songs answered, best first. */
  ranked: string[];
  fit: string | null;
}

export async function evaluate(
  verso: Verso,
  judgments: Judgments,
  variant: Variant,
  embedder?: Embedder,
): Promise<PromptScore[]> {
  const search = await evaluationSearch(verso, variant, embedder);
  const perPrompt: PromptScore[] = [];
  for (const query of judgments.queries) {
    const answer = await search.ask({ prompt: query.prompt, k: 10 });
    const ranked = answer.results.map((r) => r.song.id);
    perPrompt.push({
      ...query,
      language: promptLanguage(query.prompt) ?? "?",
      ranked,
      fit: answer.fit,
      ...scoreRanking(ranked, judgments.grades.get(query.qid) ?? new Map()),
    });
  }
  return perPrompt;
}

/** The candidates of each prompt with their fit features, for learning a fit model. */
export async function fitCandidatesOf(
  verso: Verso,
  prompts: readonly JudgedPrompt[],
  embedder?: Embedder,
  tuning: Partial<RankingTuning> = {},
): Promise<Map<string, FitCandidate[]>> {
  const search = await evaluationSearch(
    verso,
    { ...defaultVariant, tuning: { fusion: "fit", ...tuning } },
    embedder,
  );
  const out = new Map<string, FitCandidate[]>();
  for (const { qid, prompt } of prompts) out.set(qid, await search.fitCandidates({ prompt, k: 10 }));
  return out;
}

export const meanNdcg = (scores: readonly PromptScore[]) => mean(scores.map((s) => s.ndcg));
