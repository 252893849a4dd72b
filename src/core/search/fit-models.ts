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
      best: 0.4707403379615641,
      second: 1.1476616889608187,
      nearPassage: 0.08026236302847571,
      whole: 3.692960382855463,
      lexical: 1.5491696214173865,
      lexicalRank: 0.3856144574281096,
      confirmed: 0.5064624713397624,
      lexicalConfirmed: -0.008940611054639384,
      passageScaled: 0.29598569006821357,
      wholeScaled: 0.838830772457144,
      lexicalScaled: -0.9522978569691523,
      stemmedScaled: 0.9275834967746326,
      titleWord: 0.11258532067236417,
    },
    calibration: {
      intercept: -1.9503180385624175,
      score: 0.7406413211934655,
      prompt: {
        promptBest: -3.115792878614292,
        contentWords: 0.08359974498274123,
        noContent: 0,
      },
    },
    strong: 0.5,
    weak: 0.25,
  },
};
