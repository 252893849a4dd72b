/**
 * How the ranking's signals are weighed. The weights belong to the embedding model: a stronger
 * model earns more weight for its vectors, and an English-only one less for a Spanish prompt.
 * Each model's entry is chosen by the cross-validated figure of `npm run eval` with that model.
 */
import { modelLanguage } from "../embedding-models.js";
import type { FitModel } from "./fit-model.js";
import { measuredFitModels } from "./fit-models.js";

export interface RankingTuning {
  /** Passages asked of the index per prompt. */
  passageCandidates: number;
  /**
   * Weight of a song's second-best passage in its score: a song that comes back to the theme
   * in several passages is more about it than one that brushes it once.
   */
  secondPassageWeight: number;
  /** Songs of each signal that enter the fusion. */
  fusionDepth: number;
  /**
   * linear: each signal's scores scaled to 0..1 over its top songs, then added with their
   * weights; rrf: reciprocal rank fusion, which ignores how far apart the scores are.
   */
  fusion: "linear" | "rrf" | "fit";
  /** The fit model the "fit" fusion ranks by (fit-model.ts); measured per model. */
  fitModel?: FitModel | undefined;
  /** Songs of the full text whose passages are read, so a fit model can confirm their words by meaning. */
  confirmDepth: number;
  rrfK: number;
  /** Weight of the full-text signal (the passage signal weighs 1). */
  lexicalWeight: number;
  /** Weight of the whole-song similarity of the fused candidates; 0 leaves it out. */
  songWeight: number;
  /** The language the embedding model reads; unknown (undefined) for a multilingual one. */
  modelLanguage?: string | undefined;
  /**
   * Weight of the full-text signal for a prompt in another language than the model's: its
   * vector then says little, and the words say more.
   */
  otherLanguageLexicalWeight: number;
  /** Weight of the full-text signal of the prompt's stems (stems.ts); 0 leaves it out of linear fusion. */
  stemmedWeight: number;
  /** Weight of the full-text signal of words related to the prompt's (see ports' Thesaurus); 0 leaves it out. */
  relatedWeight: number;
  /** Weight of the audio features' fit to a mood the prompt names (see mood.ts); 0 leaves it out. */
  moodWeight: number;
  /**
   * Whether a prompt in another language than the model's is embedded in translation, when a
   * translator is configured.
   */
  translatePrompts: boolean;
  /** Whether a translated prompt's words join its own in the full-text query. */
  translatedTermsInLexical: boolean;
  /**
   * Whether the function words of the prompt's language (stop-words.ts) are left out of the
   * full-text query.
   */
  stopWords: boolean;
  /** One result per song (see one-song-one-result.ts); off only to measure what it changes. */
  collapseDuplicates: boolean;
}

export const defaultTuning: RankingTuning = {
  passageCandidates: 200,
  secondPassageWeight: 0.5,
  fusionDepth: 30,
  fusion: "linear",
  rrfK: 60,
  confirmDepth: 20,
  lexicalWeight: 1,
  songWeight: 0.3,
  otherLanguageLexicalWeight: 1,
  collapseDuplicates: true,
  stopWords: true,
  translatePrompts: true,
  translatedTermsInLexical: false,
  moodWeight: 0,
  relatedWeight: 0,
  stemmedWeight: 0,
};

/** One model's weights, and what changes of them on a given full-text index. */
export interface ModelTuning extends Partial<RankingTuning> {
  /** Keyed by SongStore.fullTextIndex; each measured with `npm run eval` on that database. */
  byFullTextIndex?: Record<string, Partial<RankingTuning>>;
}

/**
 * Measured per model with `npm run eval`; a model without an entry gets the defaults. For the
 * built-in English model: the setting cross-validation chose most often (docs/benchmarks.md).
 * A Spanish prompt leans on its words (weight 8 against the passages' 1), in Spanish and in
 * translation, since the model's vector of Spanish text is close to noise.
 */
export const modelTunings: Record<string, ModelTuning> = {
  "use-lite-v1": {
    ...(measuredFitModels["use-lite-v1"]
      ? { fusion: "fit", fitModel: measuredFitModels["use-lite-v1"] }
      : {}),
    modelLanguage: "en",
    lexicalWeight: 1,
    songWeight: 0.6,
    secondPassageWeight: 0.25,
    fusionDepth: 60,
    otherLanguageLexicalWeight: 8,
    translatedTermsInLexical: true,
    moodWeight: 0,
    byFullTextIndex: {
      // InnoDB indexes no word shorter than three letters ("mi", "te", "tu" match nothing), so
      // its full text finds less for a Spanish prompt: on MariaDB the setting cross-validation
      // chose most often weighs the second passage more, fuses fewer songs and embeds a
      // Spanish prompt as written.
      "innodb-fulltext": {
        secondPassageWeight: 0.5,
        fusionDepth: 40,
        translatePrompts: false,
        translatedTermsInLexical: false,
      },
    },
  },
};

export function tuningForModel(model: string, fullTextIndex?: string): RankingTuning {
  const { byFullTextIndex, ...own } = modelTunings[model] ?? {};
  return {
    ...defaultTuning,
    // An English-only model's prompts are translated as its passages are (passage-texts.ts).
    modelLanguage: modelLanguage({ name: model }),
    ...own,
    ...(fullTextIndex === undefined ? {} : byFullTextIndex?.[fullTextIndex]),
  };
}
