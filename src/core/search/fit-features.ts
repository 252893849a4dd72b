/**
 * What is known of how well each candidate song fits a prompt, as numbers a fit model weighs
 * (fit-model.ts): the similarity of its nearest passages and of its whole lyrics to the prompt,
 * how strongly the full text found it, and whether the passages holding the prompt's words
 * say what the prompt means (a word used in another sense, or negated, is weak evidence).
 * Similarities are absolute, not relative to the best song of the answer, so the same features
 * mean the same on every prompt; a few features of the prompt itself (how near anything in the
 * catalog comes, how many words carry meaning) let the model tell a prompt that nothing fits.
 */
import { dot } from "../vectors.js";
import { foldWord } from "./fold.js";
import type { Candidate, Signal } from "./fusion.js";

/** What is known of the song: what orders the songs of one prompt. */
export const songFeatureNames = [
  /** Similarity of the song's nearest passage to the prompt. */
  "best",
  /** Of its second nearest: a song that comes back to the theme is more about it. */
  "second",
  /** 1 when the nearest passages of the catalog hold one of the song's. */
  "nearPassage",
  /** Similarity of the song's whole lyrics. */
  "whole",
  /** Its full-text score as a share of the best full-text score of the prompt (0 when not found). */
  "lexical",
  /** 1 / (1 + its place) in the full-text order (0 when not found). */
  "lexicalRank",
  /** Similarity of its nearest passage that holds one of the prompt's words (0 when none does). */
  "confirmed",
  /** The full-text share, confirmed: its product with the holding passage's similarity. */
  "lexicalConfirmed",
  /**
   * Its passage score (nearest plus a share of the second), its whole-lyrics similarity and its
   * full-text score, each scaled to 0..1 between the lowest and the highest of the prompt's
   * songs in that signal (0 when the signal did not bring it): what linear fusion adds up.
   */
  "passageScaled",
  "wholeScaled",
  "lexicalScaled",
  /** The full-text score of other forms of the prompt's words (their stems), scaled alike. */
  "stemmedScaled",
  /** 1 when the song's title holds one of the prompt's words (or another form of one). */
  "titleWord",
] as const;

/** What is known of the prompt: the same for all its songs, it tells how likely any of them fits. */
export const promptFeatureNames = [
  /** The nearest passage of the whole catalog: how near anything comes to the prompt. */
  "promptBest",
  /** Words of the prompt that carry meaning, up to 4. */
  "contentWords",
  /** 1 when none does (a prompt of function words, or of no words). */
  "noContent",
] as const;

export const fitFeatureNames = [...songFeatureNames, ...promptFeatureNames] as const;

export type SongFeatureName = (typeof songFeatureNames)[number];
export type PromptFeatureName = (typeof promptFeatureNames)[number];
export type FitFeatureName = SongFeatureName | PromptFeatureName;
export type FitFeatures = Record<FitFeatureName, number>;

export interface FitCandidate {
  songId: string;
  /** The passage the index found it by, when it did. */
  passageId?: number;
  features: FitFeatures;
}

/** A passage of a candidate song, read with its vector. */
export interface ReadPassage {
  songId: string;
  text: string;
  vector: Float32Array;
}

export interface FitInputs {
  vector: Float32Array;
  /** The signals of the hybrid ranking (signals.ts); the passages signal carries each song's two nearest. */
  signals: readonly Signal[];
  /** Passages of the songs the full text found, read while the prompt was embedded. */
  passages: readonly ReadPassage[];
  /** The words that carry meaning (prompt-reading.ts) of the prompt and of its translation. */
  terms: readonly string[];
  /** How many of the prompt's own words carry meaning. */
  contentCount: number;
  /** The songs each signal brings to the model, at most. */
  depth: number;
  /** The titles of the candidates (those it holds), and the words looked for in them. */
  titles?: ReadonlyMap<string, string>;
  searched?: { terms: readonly string[]; stems: readonly string[] };
}

const wordsOf = (text: string) => new Set(foldWord(text).match(/[\p{L}\p{N}]+/gu) ?? []);

/** The words of each passage, kept as long as the passage is (catalog-memory.ts keeps the read ones). */
const passageWords = new WeakMap<ReadPassage, Set<string>>();

function wordsOfPassage(passage: ReadPassage): Set<string> {
  let words = passageWords.get(passage);
  if (!words) passageWords.set(passage, (words = wordsOf(passage.text)));
  return words;
}

/** Each read song's nearest passage, and its nearest passage holding one of the terms. */
function readSimilarities(inputs: FitInputs) {
  const terms = inputs.terms.map(foldWord);
  const out = new Map<string, { best: number; second: number; confirmed: number }>();
  for (const passage of inputs.passages) {
    const score = dot(inputs.vector, passage.vector);
    const song = out.get(passage.songId) ?? { best: -1, second: -1, confirmed: 0 };
    if (score > song.best) [song.second, song.best] = [song.best, score];
    else song.second = Math.max(song.second, score);
    if (terms.length > 0 && score > song.confirmed) {
      const words = wordsOfPassage(passage);
      if (terms.some((term) => words.has(term))) song.confirmed = score;
    }
    out.set(passage.songId, song);
  }
  return out;
}

/** Whether the title holds one of the words, or (for stems) a word that begins with one. */
function titleHolds(
  title: string | undefined,
  words: readonly string[],
  stems: readonly string[] = [],
): boolean {
  if (!title || (words.length === 0 && stems.length === 0)) return false;
  const own = wordsOf(title);
  if (words.some((w) => own.has(foldWord(w)))) return true;
  return stems.some((stem) => [...own].some((w) => w.startsWith(stem)));
}

const signalOf = (signals: readonly Signal[], name: Signal["name"]): readonly Candidate[] =>
  signals.find((s) => s.name === name)?.candidates ?? [];

/** Each song's score in a signal, scaled to 0..1 between the lowest and the highest of the list. */
function scaled(candidates: readonly Candidate[]): Map<string, number> {
  const max = candidates[0]?.score ?? 0;
  const min = candidates[candidates.length - 1]?.score ?? 0;
  return new Map(candidates.map((c) => [c.songId, max > min ? (c.score - min) / (max - min) : 1]));
}

/** The candidates every signal brings (its first `depth` songs), each with its features. */
export function fitCandidates(inputs: FitInputs): FitCandidate[] {
  const { signals, depth } = inputs;
  const near = signalOf(signals, "passages");
  const lexical = signalOf(signals, "lexical").slice(0, depth);
  const whole = new Map(signalOf(signals, "wholeSong").map((c) => [c.songId, c.score]));
  const read = readSimilarities(inputs);
  const nearBySong = new Map(near.map((c) => [c.songId, c]));
  const lexicalPlace = new Map(lexical.map((c, i) => [c.songId, { score: c.score, place: i }]));
  const topLexical = lexical[0]?.score ?? 0;
  // A song the nearest passages did not reach is at most as near as the farthest of them.
  const floor = near.length > 0 ? Math.min(...near.map((c) => c.nearest?.best ?? c.score)) : 0;
  const promptBest = Math.max(floor, ...near.map((c) => c.nearest?.best ?? c.score));
  const content = inputs.contentCount;
  const passageScaled = scaled(near.slice(0, depth));
  const wholeScaled = scaled(signalOf(signals, "wholeSong").slice(0, depth));
  const lexicalScaled = scaled(lexical);
  const stemmedScaled = scaled(signalOf(signals, "stemmed").slice(0, depth));

  const ids = [
    ...new Set(
      [...near.slice(0, depth), ...lexical, ...signalOf(signals, "stemmed").slice(0, depth)].map(
        (c) => c.songId,
      ),
    ),
  ];
  return ids.map((songId): FitCandidate => {
    const found = nearBySong.get(songId);
    const known = read.get(songId);
    const best = found?.nearest?.best ?? known?.best ?? floor;
    const second = Math.max(found?.nearest?.second ?? -1, known?.second ?? -1, 0) || Math.min(best, floor);
    const place = lexicalPlace.get(songId);
    const lexicalShare = place && topLexical > 0 ? place.score / topLexical : 0;
    const confirmed = known?.confirmed ?? 0;
    const title = inputs.titles?.get(songId);
    const searched = inputs.searched;
    const features: FitFeatures = {
      best,
      second,
      nearPassage: found ? 1 : 0,
      whole: whole.get(songId) ?? best,
      lexical: lexicalShare,
      lexicalRank: place ? 1 / (1 + place.place) : 0,
      confirmed,
      lexicalConfirmed: lexicalShare * confirmed,
      passageScaled: passageScaled.get(songId) ?? 0,
      wholeScaled: wholeScaled.get(songId) ?? 0,
      lexicalScaled: lexicalScaled.get(songId) ?? 0,
      stemmedScaled: stemmedScaled.get(songId) ?? 0,
      titleWord: titleHolds(title, searched?.terms ?? [], searched?.stems) ? 1 : 0,
      promptBest,
      contentWords: Math.min(content, 4),
      noContent: content === 0 ? 1 : 0,
    };
    return { songId, ...(found?.passageId !== undefined ? { passageId: found.passageId } : {}), features };
  });
}
