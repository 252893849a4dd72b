/**
 * What Verso knows of embedding models by name, wherever they run (in process, or behind a
 * remote embedder that reports only a name and a dimension): the one language a model reads,
 * when it reads only one.
 */
import type { EmbeddingModel } from "./ports.js";

const knownLanguages: Record<string, string> = {
  // Universal Sentence Encoder lite: trained on English text.
  "use-lite-v1": "en",
};

/**
 * The one language the model reads (ISO 639-1), or undefined for a multilingual or unknown one:
 * text in another language is embedded in translation where a translator knows the pair.
 */
export function modelLanguage(model: Pick<EmbeddingModel, "name">): string | undefined {
  return knownLanguages[model.name];
}
