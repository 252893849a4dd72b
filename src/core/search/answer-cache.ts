/**
 * Answers kept in the cache under a key of the normalized prompt, the parameters that shape
 * the answer and the catalog version: a catalog change never serves a stale answer, and a
 * search of other settings never serves another's.
 */
import { createHash } from "node:crypto";
import { normalizeSongFilter } from "../catalog/song-filter.js";
import type { Cache } from "../ports.js";
import type { AskRequest, AskResult } from "./types.js";

/** The prompt as the key reads it: trimmed, lower case, runs of white space as one space. */
export const normalizePrompt = (prompt: string): string => prompt.trim().toLowerCase().replace(/\s+/g, " ");

/**
 * The cache key of an answer. `settings` are the searching service's own (its ranking, tuning,
 * translator and thesaurus): JSON values that change whenever what it answers would.
 */
export function answerCacheKey(
  settings: readonly unknown[],
  request: AskRequest,
  k: number,
  catalogVersion: number,
): string {
  const filter = normalizeSongFilter(request.filters) ?? null;
  const identity = JSON.stringify([...settings, k, filter, normalizePrompt(request.prompt)]);
  return `ask:${catalogVersion}:${createHash("sha256").update(identity).digest("base64url")}`;
}

/** What the answer cache asks of the cache port. */
export type AnswerStore = Pick<Cache, "get" | "set">;

export interface AnswerCacheDeps {
  cache: AnswerStore;
  ttlSeconds: number;
  /** What answers depend on beyond the request (see answerCacheKey). */
  settings: readonly unknown[];
  onCache?: ((result: "hit" | "miss") => void) | undefined;
}

export class AnswerCache {
  constructor(private readonly deps: AnswerCacheDeps) {}

  key(request: AskRequest, k: number, catalogVersion: number): string {
    return answerCacheKey(this.deps.settings, request, k, catalogVersion);
  }

  /** The kept answer, as an answer to this request's prompt (as it was written); reported as hit or miss. */
  async get(key: string, request: AskRequest): Promise<AskResult | undefined> {
    const kept = await this.deps.cache.get(key);
    this.deps.onCache?.(kept ? "hit" : "miss");
    if (!kept) return undefined;
    const answer = JSON.parse(kept) as AskResult;
    // Answers kept by an older version of Verso said nothing of a re-embedding.
    return { ...answer, prompt: request.prompt, cached: true, reembedding: answer.reembedding ?? null };
  }

  /** Keeps an answer once it has gone out: the person waiting does not wait for the cache. */
  set(key: string, answer: AskResult): void {
    setImmediate(() => {
      this.deps.cache.set(key, JSON.stringify(answer), this.deps.ttlSeconds).catch(() => {});
    });
  }
}
