/**
 * How well a song fits a prompt, as a number that means the same on every prompt: a logistic
 * model over the song's fit features (fit-features.ts), learned from judged prompts (`npm run
 * eval`), whose score is the expected grade of the song on the judging guide's scale taken to
 * 0..1 (0 does not fit, 0.5 partly fits, 1 clearly fits). An answer's fit follows from its best
 * song: "strong" when that song most likely fits, "weak" when it may partly fit, "none" when
 * nothing in the catalog comes near the prompt.
 */
import type { FitFeatureName, FitFeatures } from "./fit-features.js";

export interface FitModel {
  intercept: number;
  /** Logistic weights over the features; a feature without a weight counts for nothing. */
  weights: Partial<Record<FitFeatureName, number>>;
  /** An answer is a strong fit when its best song's score reaches this. */
  strong: number;
  /** And a weak one when it reaches this; below it nothing fits. */
  weak: number;
}

export type Fit = "strong" | "weak" | "none";

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export function fitScore(model: FitModel, features: FitFeatures): number {
  let sum = model.intercept;
  for (const [name, weight] of Object.entries(model.weights) as [FitFeatureName, number][]) {
    sum += weight * features[name];
  }
  return sigmoid(sum);
}

/** The fit a score stands for. */
export function fitOf(model: Pick<FitModel, "strong" | "weak">, score: number): Fit {
  if (score >= model.strong) return "strong";
  return score >= model.weak ? "weak" : "none";
}
