/**
 * A song's mood at a glance from its audio features: energy, valence (how bright it sounds),
 * danceability and tempo, each as a share of its usual range and a word for its level.
 * Features the catalog does not have are left out rather than shown as zero.
 */
import type { AudioFeatures } from "../../api/types.js";

export type MoodDimension = "energy" | "valence" | "danceability" | "tempo";
export type MoodLevel = "low" | "medium" | "high";

export interface MoodReading {
  dimension: MoodDimension;
  /** Where the song sits in the dimension's range, 0 to 1. */
  share: number;
  level: MoodLevel;
  /** Beats per minute, for tempo only. */
  bpm?: number;
}

/** Tempos outside this range are rare; they show at its ends. */
export const TEMPO_RANGE = { slowest: 60, fastest: 180 } as const;

const clamp = (value: number) => Math.min(1, Math.max(0, value));

export function levelOf(share: number): MoodLevel {
  if (share < 0.4) return "low";
  if (share < 0.7) return "medium";
  return "high";
}

/** Slow under 90 BPM, fast from 120: where listeners hear the change, not thirds of a range. */
export function tempoLevel(bpm: number): MoodLevel {
  if (bpm < 90) return "low";
  if (bpm < 120) return "medium";
  return "high";
}

const usable = (value: number | null | undefined): value is number =>
  typeof value === "number" && Number.isFinite(value);

export function moodOf(features: AudioFeatures | null | undefined): MoodReading[] {
  if (!features) return [];
  const readings: MoodReading[] = [];
  for (const dimension of ["energy", "valence", "danceability"] as const) {
    const value = features[dimension];
    if (!usable(value)) continue;
    const share = clamp(value);
    readings.push({ dimension, share, level: levelOf(share) });
  }
  if (usable(features.tempo) && features.tempo > 0) {
    const bpm = Math.round(features.tempo);
    const share = clamp((bpm - TEMPO_RANGE.slowest) / (TEMPO_RANGE.fastest - TEMPO_RANGE.slowest));
    readings.push({ dimension: "tempo", share, level: tempoLevel(bpm), bpm });
  }
  return readings;
}
