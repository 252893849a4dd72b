/**
 * How the ranking's signals become one order of songs: passage hits grouped by song, the
 * signals fused by their weights, and the songs others found scored again by another measure.
 * Pure functions: what they return depends on their arguments only.
 */
import type { VectorHit } from "../ports.js";
import type { RankingTuning } from "./tuning.js";

/** A song one signal found, with its score in that signal. */
export interface Candidate {
  songId: string;
  score: number;
  /** Best passage found by the index, when the semantic signal found the song. */
  passageId?: number;
  /** The similarities of its two nearest passages, when the semantic signal found the song. */
  nearest?: { best: number; second: number };
}

/**
 * passages: the songs of the nearest passages; lexical: the full text of the prompt's words;
 * related: the full text of words related to them; stemmed: the full text of their stems, as
 * beginnings of words; wholeSong: the whole-lyrics similarity of
 * the songs the others found; mood: how well their sound fits the mood the prompt names.
 */
export type SignalName = "passages" | "lexical" | "related" | "stemmed" | "wholeSong" | "mood";

export interface Signal {
  name: SignalName;
  /** Best first. */
  candidates: Candidate[];
  weight: number;
}

export type FusionTuning = Pick<RankingTuning, "fusion" | "rrfK" | "fusionDepth">;

const byScore = (a: Candidate, b: Candidate) => b.score - a.score;

/**
 * Passages to songs: a song scores its best passage plus a share of its second best, and keeps
 * its best passage for the snippet. Songs of equal score stay in the order the hits met them.
 */
export function groupBySong(hits: readonly VectorHit[], secondPassageWeight: number): Candidate[] {
  const songs = new Map<string, { best: number; second: number; passageId: number }>();
  for (const hit of hits) {
    const song = songs.get(hit.songId);
    if (!song) songs.set(hit.songId, { best: hit.score, second: 0, passageId: hit.id });
    else if (hit.score > song.best)
      Object.assign(song, { second: song.best, best: hit.score, passageId: hit.id });
    else song.second = Math.max(song.second, hit.score);
  }
  return [...songs.entries()]
    .map(([songId, s]) => ({
      songId,
      score: s.best + secondPassageWeight * s.second,
      passageId: s.passageId,
      nearest: { best: s.best, second: s.second },
    }))
    .sort(byScore);
}

/** A candidate's share of its signal's weight: by its place (rrf) or its score scaled to 0..1 (linear). */
function share(tuning: FusionTuning, top: readonly Candidate[], rank: number): number {
  if (tuning.fusion === "rrf") return 1 / (tuning.rrfK + rank + 1);
  const max = top[0]!.score;
  const min = top[top.length - 1]!.score;
  return max > min ? (top[rank]!.score - min) / (max - min) : 1;
}

/**
 * The weighted sum of each signal's top songs (tuning.fusionDepth of each). A song keeps the
 * first passage a signal found for it; an empty signal or one of weight 0 changes nothing.
 */
export function fuse(signals: readonly Signal[], tuning: FusionTuning): Candidate[] {
  const fused = new Map<string, Candidate>();
  for (const { candidates, weight } of signals) {
    const top = candidates.slice(0, tuning.fusionDepth);
    if (top.length === 0 || weight === 0) continue;
    top.forEach((candidate, rank) => {
      const score = weight * share(tuning, top, rank);
      const current = fused.get(candidate.songId);
      if (current) {
        current.score += score;
        current.passageId ??= candidate.passageId;
      } else fused.set(candidate.songId, { ...candidate, score });
    });
  }
  return [...fused.values()].sort(byScore);
}

/** The songs of each signal's top (depth of each), once each, in the order the signals give them. */
export function songsFound(signals: readonly Signal[], depth: number): string[] {
  return [...new Set(signals.flatMap((s) => s.candidates.slice(0, depth).map((c) => c.songId)))];
}

/**
 * A signal that scores songs others found by another measure: the songs it cannot score are
 * left out, the rest ordered best first (equal scores in the order given).
 */
export function rescored(
  name: SignalName,
  songIds: readonly string[],
  score: (songId: string) => number | undefined,
  weight: number,
): Signal {
  const candidates = songIds
    .flatMap((songId) => {
      const value = score(songId);
      return value === undefined ? [] : [{ songId, score: value }];
    })
    .sort(byScore);
  return { name, candidates, weight };
}
