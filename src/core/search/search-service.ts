/**
 * Answers a prompt with songs. The prompt is embedded once; the vector index returns the
 * nearest passages, which are grouped by song (a song is as good as its best passage); a
 * full-text signal over titles, artists and lyrics is fused with it by reciprocal rank; the
 * best passage of each song is its snippet. Answers are cached under a key that includes the
 * catalog version, so a catalog change never serves stale results.
 */
import { createHash } from "node:crypto";
import type { Song } from "../catalog/song.js";
import type { SongStore } from "../catalog/store.js";
import { VersoError } from "../errors.js";
import type { Cache, Embedder, VectorIndex } from "../ports.js";
import { dot } from "../vectors.js";
import type { LiveIndex } from "./live-index.js";
import { parsePrompt } from "./prompt.js";
import {
  DEFAULT_K,
  MAX_K,
  MIN_K,
  type AskRequest,
  type AskResult,
  type SongFilters,
  type SongHit,
  type SongSearch,
} from "./types.js";

/**
 * songs: one vector per song (mean of its passages); passages: a song scored by its best
 * passage; lexical: full-text only; hybrid: passages and full-text fused.
 */
export type Ranking = "songs" | "passages" | "lexical" | "hybrid";
export const rankings: readonly Ranking[] = ["songs", "passages", "lexical", "hybrid"];

export interface RankingTuning {
  /** Passages asked of the index per prompt. */
  passageCandidates: number;
  /** Songs of each signal that enter the fusion. */
  fusionDepth: number;
  /** The k of reciprocal rank fusion: larger flattens the difference between ranks. */
  rrfK: number;
  /** Weight of the full-text signal in the fusion (the semantic one weighs 1). */
  lexicalWeight: number;
}

export const defaultTuning: RankingTuning = { passageCandidates: 200, fusionDepth: 30, rrfK: 60, lexicalWeight: 1 };

export interface AskTimings {
  embedMs: number;
  indexMs: number;
  lexicalMs: number;
  totalMs: number;
}

export interface SearchServiceOptions {
  store: SongStore;
  index: LiveIndex;
  embedder: Embedder;
  cache: Cache;
  cacheTtlSeconds: number;
  catalogVersion(): Promise<number>;
  ranking?: Ranking;
  tuning?: Partial<RankingTuning>;
  /** One vector per song, for the "songs" ranking and for similar songs. */
  songIndex?: VectorIndex;
  onTimings?(timings: AskTimings): void;
  onCache?(result: "hit" | "miss"): void;
}

interface Candidate {
  songId: string;
  score: number;
  /** Best passage found by the index, when the semantic signal found the song. */
  passageId?: number;
}

const elapsed = (since: number) => performance.now() - since;

export function createSearchService(options: SearchServiceOptions) {
  const { store, index, embedder, cache } = options;
  const ranking = options.ranking ?? "hybrid";
  const tuning: RankingTuning = { ...defaultTuning, ...options.tuning };
  const model = embedder.model.name;

  function groupBySong(hits: { id: number; score: number }[], songOf: Map<number, string>): Candidate[] {
    const best = new Map<string, Candidate>();
    for (const hit of hits) {
      const songId = songOf.get(hit.id);
      if (!songId) continue;
      const current = best.get(songId);
      if (!current || hit.score > current.score) best.set(songId, { songId, score: hit.score, passageId: hit.id });
    }
    return [...best.values()].sort((a, b) => b.score - a.score);
  }

  function fuse(lists: { candidates: Candidate[]; weight: number }[]): Candidate[] {
    const fused = new Map<string, Candidate>();
    for (const { candidates, weight } of lists) {
      candidates.slice(0, tuning.fusionDepth).forEach((c, rank) => {
        const add = weight / (tuning.rrfK + rank + 1);
        const current = fused.get(c.songId);
        if (current) {
          current.score += add;
          current.passageId ??= c.passageId;
        } else fused.set(c.songId, { songId: c.songId, score: add, ...(c.passageId ? { passageId: c.passageId } : {}) });
      });
    }
    return [...fused.values()].sort((a, b) => b.score - a.score);
  }

  const matchesFilters = (song: Song, filters: SongFilters | undefined) =>
    !filters ||
    ((!filters.language || song.language === filters.language.toLowerCase()) &&
      (!filters.genre || song.genre?.toLowerCase() === filters.genre.toLowerCase()));

  async function semanticCandidates(vector: Float32Array, depth: number) {
    const hits = await index.search(vector, depth);
    const passages = await store.getPassages(hits.map((h) => h.id));
    const songOf = new Map([...passages.values()].map((p) => [p.id, p.songId]));
    return groupBySong(hits, songOf);
  }

  async function songCandidates(vector: Float32Array, depth: number): Promise<Candidate[]> {
    if (!options.songIndex) throw new Error("the songs ranking needs a song index");
    const hits = await options.songIndex.search(vector, depth);
    return hits.map((h) => ({ songId: songIds.get(h.id) ?? "", score: h.score })).filter((c) => c.songId);
  }
  /** Song index keys are numbers; this maps them back (filled by `loadSongIndex`). */
  const songIds = new Map<number, string>();

  /** Chooses the snippet of songs the index did not reach through a passage. */
  async function bestPassages(vector: Float32Array, songs: string[]) {
    const passages = await store.passagesOfSongs(songs, model);
    const best = new Map<string, { id: number; score: number }>();
    for (const p of passages) {
      const score = dot(vector, p.vector);
      const current = best.get(p.songId);
      if (!current || score > current.score) best.set(p.songId, { id: p.id, score });
    }
    return best;
  }

  async function answer(request: AskRequest, k: number, catalogVersion: number): Promise<AskResult> {
    const t0 = performance.now();
    const parsed = parsePrompt(request.prompt);
    // Asking for more when filtering leaves room for what the filter removes.
    const depth = Math.max(k, tuning.fusionDepth) * (request.filters ? 4 : 1);

    const embedding = ranking === "lexical" && parsed.terms.length > 0 ? null : embedder.embed([parsed.text], { priority: "interactive" });
    // The full-text query runs while the prompt is being embedded on another thread.
    const tLexical = performance.now();
    const lexical =
      ranking === "lexical" || ranking === "hybrid" ? await store.searchLexical(parsed.terms, depth) : [];
    const lexicalMs = elapsed(tLexical);
    const vector = embedding ? (await embedding)[0]! : null;
    const embedMs = embedding ? elapsed(t0) : 0;

    const tIndex = performance.now();
    let semantic: Candidate[] = [];
    if (vector && ranking === "songs") semantic = await songCandidates(vector, depth);
    else if (vector && ranking !== "lexical") semantic = await semanticCandidates(vector, tuning.passageCandidates);
    const indexMs = elapsed(tIndex);

    const lexicalCandidates: Candidate[] = lexical.map((h) => ({ songId: h.songId, score: h.score }));
    let ranked: Candidate[];
    if (ranking === "hybrid") {
      ranked = fuse([
        { candidates: semantic, weight: 1 },
        { candidates: lexicalCandidates, weight: lexicalCandidates.length > 0 ? tuning.lexicalWeight : 0 },
      ]);
    } else if (ranking === "lexical") ranked = lexicalCandidates.length > 0 ? lexicalCandidates : semantic;
    else ranked = semantic;

    const songs = await store.getSongs(ranked.slice(0, depth).map((c) => c.songId));
    const chosen = ranked.filter((c) => songs.has(c.songId) && matchesFilters(songs.get(c.songId)!, request.filters)).slice(0, k);

    const needSnippet = chosen.filter((c) => c.passageId === undefined).map((c) => c.songId);
    const snippetVector = vector ?? (needSnippet.length > 0 ? (await embedder.embed([parsed.text], { priority: "interactive" }))[0]! : null);
    const fallback = snippetVector && needSnippet.length > 0 ? await bestPassages(snippetVector, needSnippet) : new Map();
    const passageIds = chosen.map((c) => c.passageId ?? fallback.get(c.songId)?.id).filter((id): id is number => id !== undefined);
    const passages = await store.getPassages(passageIds);

    const results: SongHit[] = chosen.map((c) => {
      const passage = passages.get(c.passageId ?? fallback.get(c.songId)?.id ?? -1);
      return {
        song: songs.get(c.songId)!,
        score: Number(c.score.toFixed(6)),
        passage: passage ? { text: passage.text, ordinal: passage.ordinal } : { text: "", ordinal: -1 },
      };
    });
    options.onTimings?.({ embedMs, indexMs, lexicalMs, totalMs: elapsed(t0) });
    return { prompt: request.prompt, k, results, cached: false, catalogVersion };
  }

  const cacheKey = (request: AskRequest, k: number, catalogVersion: number) => {
    const normalized = request.prompt.trim().toLowerCase().replace(/\s+/g, " ");
    const identity = JSON.stringify([ranking, k, request.filters ?? null, normalized]);
    return `ask:${catalogVersion}:${createHash("sha256").update(identity).digest("base64url")}`;
  };

  const service: SongSearch & {
    ranking: Ranking;
    loadSongIndex(): Promise<number>;
    similar(songId: string, k: number): Promise<SongHit[]>;
  } = {
    ranking,

    async ask(request) {
      const parsed = parsePrompt(request.prompt);
      const k = request.k ?? parsed.k ?? DEFAULT_K;
      if (!Number.isInteger(k) || k < MIN_K || k > MAX_K) {
        throw new VersoError("VALIDATION_FAILED", `k must be a whole number from ${MIN_K} to ${MAX_K}`);
      }
      const catalogVersion = await options.catalogVersion();
      const key = cacheKey(request, k, catalogVersion);
      const cached = await cache.get(key);
      if (cached) {
        options.onCache?.("hit");
        return { ...(JSON.parse(cached) as AskResult), prompt: request.prompt, cached: true };
      }
      options.onCache?.("miss");
      const result = await answer(request, k, catalogVersion);
      await cache.set(key, JSON.stringify(result), options.cacheTtlSeconds);
      return result;
    },

    /** Fills the song index from stored song vectors (needed by the "songs" ranking only). */
    async loadSongIndex() {
      if (!options.songIndex) return 0;
      await options.songIndex.reset(embedder.model);
      songIds.clear();
      let n = 0;
      for await (const batch of store.streamSongVectors(model)) {
        await options.songIndex.upsert(
          batch.map((s) => {
            songIds.set(++n, s.songId);
            return { id: n, vector: s.vector };
          }),
        );
      }
      return n;
    },

    /** Songs whose lyrics read like this one's, by the song's whole-lyrics vector. */
    async similar(songId, k) {
      const song = await store.getSong(songId);
      if (!song) throw new VersoError("SONG_NOT_FOUND", `no song with id ${songId}`);
      const vector = await store.songVector(songId, model);
      if (!vector) return [];
      const candidates = (await semanticCandidates(vector, Math.max(tuning.passageCandidates, k * 20))).filter(
        (c) => c.songId !== songId,
      );
      const chosen = candidates.slice(0, k);
      const songs = await store.getSongs(chosen.map((c) => c.songId));
      const passages = await store.getPassages(chosen.map((c) => c.passageId!).filter(Boolean));
      return chosen
        .filter((c) => songs.has(c.songId))
        .map((c) => {
          const passage = passages.get(c.passageId!);
          return {
            song: songs.get(c.songId)!,
            score: Number(c.score.toFixed(6)),
            passage: passage ? { text: passage.text, ordinal: passage.ordinal } : { text: "", ordinal: -1 },
          };
        });
    },
  };
  return service;
}

export type SearchService = ReturnType<typeof createSearchService>;
