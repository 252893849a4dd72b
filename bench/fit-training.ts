/**
 * Learning a fit model (src/core/search/fit-model.ts) from judged prompts, in two steps:
 * - the ranking: L2-regularized logistic regression on pairs of songs of one prompt judged
 *   apart (which of the two fits better), over the song features; each prompt weighs the same
 *   however many of its pairs there are;
 * - the calibration: logistic regression of each judged song's grade taken to 0..1 on its
 *   ranking score and the prompt's features, so that a score is the expected grade and means
 *   the same on every prompt.
 * Features are standardized while learning and the weights given back on their own scale.
 * Pure functions: what `npm run eval` runs, and what its tests check.
 */
import {
  promptFeatureNames,
  songFeatureNames,
  type FitFeatures,
  type PromptFeatureName,
  type SongFeatureName,
} from "../src/core/search/fit-features.js";
import { fitScore, rankingScore, type FitModel } from "../src/core/search/fit-model.js";

export interface FitPrompt {
  qid: string;
  /** Its candidates, one per song, with their features. */
  candidates: { songId: string; features: FitFeatures }[];
  /** Grades of the judged songs: 0, 1 or 2. */
  grades: ReadonlyMap<string, number>;
}

export interface TrainingOptions {
  /** The L2 penalty on the standardized weights. */
  l2?: number;
  /** Song features the ranking may use (default: all). */
  songFeatures?: readonly SongFeatureName[];
  /** Where an answer's fit changes (default: strong 0.5, weak 0.25). */
  thresholds?: Pick<FitModel, "strong" | "weak">;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Solves A x = b for a small dense symmetric positive definite A (Gaussian elimination, partial pivoting). */
export function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col += 1) {
    let pivot = col;
    for (let r = col + 1; r < n; r += 1) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const p = m[col]![col]!;
    if (Math.abs(p) < 1e-12) continue;
    for (let r = 0; r < n; r += 1) {
      if (r === col) continue;
      const f = m[r]![col]! / p;
      for (let c = col; c <= n; c += 1) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  return m.map((row, i) => (Math.abs(row[i]!) < 1e-12 ? 0 : row[n]! / row[i]!));
}

interface Sample {
  x: number[];
  /** Target in 0..1. */
  y: number;
  weight: number;
}

/**
 * Weighted logistic regression by Newton's method on standardized columns; the first column
 * may be an intercept (not penalized, not standardized). Answers coefficients on the columns'
 * own scale.
 */
export function logistic(samples: readonly Sample[], options: { l2: number; intercept: boolean }): number[] {
  const d = samples[0]?.x.length ?? 0;
  const first = options.intercept ? 1 : 0;
  const total = samples.reduce((s, r) => s + r.weight, 0) || 1;
  const mean = Array.from({ length: d }, (_, j) =>
    j < first ? 0 : samples.reduce((s, r) => s + r.weight * r.x[j]!, 0) / total,
  );
  const sd = Array.from({ length: d }, (_, j) => {
    if (j < first) return 1;
    const v = samples.reduce((s, r) => s + r.weight * (r.x[j]! - mean[j]!) ** 2, 0) / total;
    return Math.sqrt(v) || 1;
  });
  // Pairwise differences are centred by construction: standardizing scales them, never shifts.
  const shift = options.intercept ? mean : mean.map(() => 0);
  const xs = samples.map((r) => r.x.map((v, j) => (v - shift[j]!) / sd[j]!));
  let beta = new Array<number>(d).fill(0);
  for (let iteration = 0; iteration < 60; iteration += 1) {
    const gradient = new Array<number>(d).fill(0);
    const hessian = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    xs.forEach((x, i) => {
      const { y, weight } = samples[i]!;
      const p = sigmoid(x.reduce((s, v, j) => s + v * beta[j]!, 0));
      const g = weight * (p - y);
      const h = weight * Math.max(p * (1 - p), 1e-9);
      for (let a = 0; a < d; a += 1) {
        gradient[a]! += g * x[a]!;
        for (let b = a; b < d; b += 1) hessian[a]![b]! += h * x[a]! * x[b]!;
      }
    });
    for (let a = first; a < d; a += 1) {
      gradient[a]! += options.l2 * beta[a]!;
      hessian[a]![a]! += options.l2;
    }
    for (let a = 0; a < d; a += 1) for (let b = 0; b < a; b += 1) hessian[a]![b] = hessian[b]![a]!;
    const step = solve(hessian, gradient);
    beta = beta.map((v, j) => v - step[j]!);
    if (Math.max(...step.map(Math.abs)) < 1e-9) break;
  }
  const coefficients = beta.map((b, j) => b / sd[j]!);
  if (options.intercept) {
    coefficients[0] = beta[0]! - coefficients.slice(1).reduce((s, c, j) => s + c * shift[j + 1]!, 0);
  }
  return coefficients;
}

/** The judged songs of a prompt with their grades. */
const judged = (prompt: FitPrompt) =>
  prompt.candidates.flatMap((c) => {
    const grade = prompt.grades.get(c.songId);
    return grade === undefined ? [] : [{ features: c.features, grade }];
  });

/** Ranking weights learned from the pairs of each prompt's judged songs that differ in grade. */
export function trainRanking(
  prompts: readonly FitPrompt[],
  options: TrainingOptions = {},
): Partial<Record<SongFeatureName, number>> {
  const names = options.songFeatures ?? songFeatureNames;
  const samples: Sample[] = [];
  for (const prompt of prompts) {
    const songs = judged(prompt);
    const pairs: [FitFeatures, FitFeatures][] = [];
    for (const a of songs) for (const b of songs) if (a.grade > b.grade) pairs.push([a.features, b.features]);
    for (const [better, worse] of pairs) {
      const difference = names.map((n) => better[n] - worse[n]);
      const weight = 1 / pairs.length;
      samples.push({ x: difference, y: 1, weight }, { x: difference.map((v) => -v), y: 0, weight });
    }
  }
  if (samples.length === 0) return {};
  const coefficients = logistic(samples, { l2: options.l2 ?? 1, intercept: false });
  return Object.fromEntries(names.map((n, j) => [n, coefficients[j]!]));
}

/** The calibration of a ranking: the expected grade from the ranking score and the prompt's features. */
export function trainCalibration(
  prompts: readonly FitPrompt[],
  ranking: FitModel["ranking"],
  options: TrainingOptions = {},
): FitModel["calibration"] {
  const samples: Sample[] = prompts.flatMap((prompt) => {
    const songs = judged(prompt);
    return songs.map(({ features, grade }) => ({
      x: [1, rankingScore({ ranking }, features), ...promptFeatureNames.map((n) => features[n])],
      y: grade / 2,
      weight: 1 / songs.length,
    }));
  });
  const c = logistic(samples, { l2: options.l2 ?? 1, intercept: true });
  const prompt: Partial<Record<PromptFeatureName, number>> = {};
  promptFeatureNames.forEach((n, j) => (prompt[n] = c[j + 2]!));
  return { intercept: c[0]!, score: Math.max(0, c[1]!), prompt };
}

export function trainFitModel(prompts: readonly FitPrompt[], options: TrainingOptions = {}): FitModel {
  const ranking = trainRanking(prompts, options);
  const calibration = trainCalibration(prompts, ranking, options);
  return { ranking, calibration, ...(options.thresholds ?? { strong: 0.5, weak: 0.25 }) };
}

/** A prompt's songs in the model's order, best first. */
export function rankedBy(model: FitModel, prompt: FitPrompt): { songId: string; score: number }[] {
  return prompt.candidates
    .map((c) => ({ songId: c.songId, score: fitScore(model, c.features) }))
    .sort((a, b) => b.score - a.score);
}

/**
 * k-fold cross-validation over prompts, repeated with shuffled folds: a model is learned on
 * the other folds and ranks the held-out one. Answers each prompt's mean held-out ranking, scored.
 */
export function crossValidateFit(
  prompts: readonly FitPrompt[],
  score: (prompt: FitPrompt, ranked: string[]) => number,
  options: TrainingOptions & { folds: number; repeats: number; random: () => number },
): number[] {
  const heldOut = new Array<number>(prompts.length).fill(0);
  for (let r = 0; r < options.repeats; r += 1) {
    const order = [...prompts.keys()];
    for (let i = order.length - 1; i > 0; i -= 1) {
      const j = Math.floor(options.random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (let f = 0; f < options.folds; f += 1) {
      const test = new Set(order.filter((_, i) => i % options.folds === f));
      const model = trainFitModel(
        prompts.filter((_, i) => !test.has(i)),
        options,
      );
      for (const i of test) {
        const ranked = rankedBy(model, prompts[i]!).map((c) => c.songId);
        heldOut[i]! += score(prompts[i]!, ranked) / options.repeats;
      }
    }
  }
  return heldOut;
}

/**
 * Calibration: the judged songs put in bins by score, each bin's mean score against the mean of
 * its grades taken to 0..1. A calibrated model's two columns agree.
 */
export function calibrationTable(model: FitModel, prompts: readonly FitPrompt[], bins = 5) {
  const scored = prompts.flatMap((p) =>
    judged(p).map(({ features, grade }) => ({ score: fitScore(model, features), grade })),
  );
  const mean = (values: number[]) =>
    values.length > 0 ? values.reduce((a, v) => a + v, 0) / values.length : 0;
  return Array.from({ length: bins }, (_, b) => {
    const low = b / bins;
    const high = (b + 1) / bins;
    const inBin = scored.filter((s) => s.score >= low && (s.score < high || b === bins - 1));
    return {
      low,
      high,
      songs: inBin.length,
      meanScore: mean(inBin.map((s) => s.score)),
      meanGrade: mean(inBin.map((s) => s.grade / 2)),
    };
  });
}
