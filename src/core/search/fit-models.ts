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
      best: -1.0661435352250785,
      second: 2.6895422672068325,
      nearPassage: 0.17736199948884843,
      whole: 3.0193537312337084,
      lexical: 1.5623467875139365,
      lexicalRank: 0.3647598339408432,
      confirmed: 0.6223416775808989,
      lexicalConfirmed: 0.005620221334996324,
      passageScaled: 0.45019530303255884,
      wholeScaled: 0.669070942144369,
      lexicalScaled: -0.9870195783817878,
      stemmedScaled: 0.9696705498532083,
      relatedScaled: 0.38605529597694266,
    },
    calibration: {
      intercept: -2.16512561261242,
      score: 0.7415529815172865,
      prompt: {
        promptBest: -2.4421078999929793,
        contentWords: 0.08413091334458764,
        noContent: 0,
      },
    },
    strong: 0.5,
    weak: 0.25,
  },
};
