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
      best: -1.073201499467771,
      second: 2.6958151949581617,
      nearPassage: 0.17645698082867997,
      whole: 3.0224228027461373,
      lexical: 1.5597834932942989,
      lexicalRank: 0.3579829401101543,
      confirmed: 0.5823523574019833,
      lexicalConfirmed: 0.003755279044992539,
      passageScaled: 0.4477949304012589,
      wholeScaled: 0.6454573340246554,
      lexicalScaled: -0.9685834728682589,
      stemmedScaled: 0.950401805378766,
      relatedScaled: 0.23789986671526783,
      titleWord: 0.13007572064663572,
      titleRelated: 0.4141631284903193,
    },
    calibration: {
      intercept: -2.1381874500179645,
      score: 0.7395142103619414,
      prompt: {
        promptBest: -2.466504990635925,
        contentWords: 0.08215263167156228,
        noContent: 0,
      },
    },
    strong: 0.5,
    weak: 0.25,
  },
};
