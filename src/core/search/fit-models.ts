/**
 * The fit models measured per embedding model: written by `npm run eval -- --write-model`
 * (bench/eval.ts), which learns them from the 2k set's development prompts and reports their
 * cross-validated figures (docs/benchmarks.md). A model without an entry ranks by linear fusion
 * and answers without a fit.
 */
import type { FitModel } from "./fit-model.js";

export const measuredFitModels: Record<string, FitModel> = {
  "use-lite-v1": {
    ranking: {
      best: -1.0694262200072187,
      second: 2.6910901514134813,
      nearPassage: 0.1714155628554876,
      whole: 2.962537422052438,
      lexical: 1.5693055518791297,
      lexicalRank: 0.36062341428944733,
      confirmed: 0.591019695477667,
      lexicalConfirmed: -0.013906911285138945,
      passageScaled: 0.4540579800842215,
      wholeScaled: 0.6727501516552987,
      lexicalScaled: -0.9823853932121225,
      stemmedScaled: 0.9596548429877831,
      titleWord: 0.13001442365994462,
    },
    calibration: {
      intercept: -2.1511338408865015,
      score: 0.7399563550494032,
      prompt: {
        promptBest: -2.4298714322119594,
        contentWords: 0.08319432579121196,
        noContent: 0,
      },
    },
    strong: 0.5,
    weak: 0.25,
  },
};
