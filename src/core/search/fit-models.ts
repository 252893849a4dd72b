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
      best: -1.1054094321327552,
      second: 2.9548794758991153,
      nearPassage: 0.17548435542096918,
      whole: 3.221101787943077,
      lexical: 1.5759035679525655,
      lexicalRank: 0.21468620527674762,
      confirmed: 0.6390055837400253,
      lexicalConfirmed: -0.0114172667011783,
      passageScaled: 0.46825952566440776,
      wholeScaled: 0.5467772200327905,
      lexicalScaled: -1.0120058976963053,
      stemmedScaled: 1.132326921340988,
      relatedScaled: 0.45860741647421543,
    },
    calibration: {
      intercept: -2.0862712126016145,
      score: 0.7258822098889822,
      prompt: {
        promptBest: -2.6474118093405647,
        contentWords: 0.07734408074299852,
        noContent: 0,
      },
    },
    strong: 0.5,
    weak: 0.25,
  },
};
