/**
 * The fit models measured per embedding model: written by `npm run eval -- --write-model`
 * (bench/eval.ts), which learns them from the 2k set's development prompts and reports their
 * cross-validated figures (docs/benchmarks.md). A model without an entry ranks by linear fusion
 * and answers without a fit.
 */
import type { FitModel } from "./fit-model.js";

export const measuredFitModels: Record<string, FitModel> = {};
