import type { Song } from "../catalog/song.js";
import type { SongFilter } from "../catalog/song-filter.js";
import type { Fit } from "./fit-model.js";

/** The longest prompt Verso answers or publishes. */
export const MAX_PROMPT_LENGTH = 500;
export const MIN_K = 1;
export const MAX_K = 50;
export const DEFAULT_K = 10;

/**
 * songs: one vector per song (the mean of its passages); passages: a song scored by its best
 * passages; lexical: full text only; hybrid: passages, full text and whole-song similarity fused.
 */
export type Ranking = "songs" | "passages" | "lexical" | "hybrid";

/** Optional restrictions on song metadata (src/core/catalog/song-filter.ts). */
export type SongFilters = SongFilter;

export interface AskRequest {
  prompt: string;
  /** How many songs; a "top N …" prompt sets it when k is not given. */
  k?: number;
  filters?: SongFilters;
}

export interface SongHit {
  song: Song;
  /** With a fit model, the song's expected grade taken to 0..1; else a score within one answer. */
  score: number;
  /** How well this song fits, when the ranking has a fit model. */
  fit?: Fit;
  /** The passage of the lyrics that matched best. */
  passage: { text: string; ordinal: number };
}

/** A re-embedding under way: how many of the catalog's songs the model in use has embedded yet. */
export interface Reembedding {
  model: string;
  done: number;
  total: number;
}

export interface AskResult {
  prompt: string;
  k: number;
  results: SongHit[];
  /**
   * How well the answer fits the prompt, from its best song's score: null when the ranking has
   * no fit model measured for its embedding model (scores are then only comparable within one answer).
   */
  fit: Fit | null;
  /** Whether the answer came from the cache. */
  cached: boolean;
  catalogVersion: number;
  /**
   * Set while the catalog is being re-embedded with the model in use: the answer was ranked from
   * the `done` songs already embedded with it only (search never mixes two models' vectors).
   */
  reembedding: Reembedding | null;
}

/** What other domains (prompts, the feed) use to get a prompt's songs. */
export interface SongSearch {
  ask(request: AskRequest): Promise<AskResult>;
}
