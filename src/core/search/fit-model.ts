/**
 * How well a song fits a prompt, as a number that means the same on every prompt. Two parts,
 * both learned from judged prompts (`npm run eval`): a ranking score, the weighted sum of the
 * song's features (fit-features.ts) learned from pairs of songs of one prompt that were judged
 * apart, which orders the songs; and its calibration, a logistic function of that score and of
 * the prompt's own features, whose value is the song's expected grade on the judging guide's
 * scale taken to 0..1 (0 does not fit, 0.5 partly fits, 1 clearly fits). The calibration rises
 * with the ranking score, so the order of a prompt's songs is the ranking's. An answer's fit
 * follows from its best song: "strong" when that song most likely fits, "weak" when it may,
 * "none" when nothing in the catalog comes near the prompt.
 */
import type { FitFeatures, PromptFeatureName, SongFeatureName } from "./fit-features.js";

export interface FitModel {
  /** Weights of the song's features in its ranking score. */
  ranking: Partial<Record<SongFeatureName, number>>;
  calibration: {
    intercept: number;
    /** Weight of the ranking score; never below 0. */
    score: number;
    prompt: Partial<Record<PromptFeatureName, number>>;
  };
  /** An answer is a strong fit when its best song's score reaches this. */
  strong: number;
  /** And a weak one when it reaches this; below it nothing fits. */
  weak: number;
}

export type Fit = "strong" | "weak" | "none";

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function weighted<N extends string>(
  weights: Partial<Record<N, number>>,
  features: Record<N, number>,
): number {
  let sum = 0;
  for (const [name, weight] of Object.entries(weights) as [N, number][]) sum += weight * features[name];
  return sum;
}

/** The song's ranking score: what orders the songs of one prompt. */
export function rankingScore(model: Pick<FitModel, "ranking">, features: FitFeatures): number {
  return weighted(model.ranking, features);
}

/** The song's expected grade taken to 0..1. */
export function fitScore(model: Pick<FitModel, "ranking" | "calibration">, features: FitFeatures): number {
  const { calibration } = model;
  return sigmoid(
    calibration.intercept +
      calibration.score * rankingScore(model, features) +
      weighted(calibration.prompt, features),
  );
}

/** The fit a score stands for. */
export function fitOf(model: Pick<FitModel, "strong" | "weak">, score: number): Fit {
  if (score >= model.strong) return "strong";
  return score >= model.weak ? "weak" : "none";
}
