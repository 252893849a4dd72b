/**
 * The language a prompt is written in, when it can be told: the built-in embedding model reads
 * English only, so a Spanish prompt's vector says little and the ranking leans on the words.
 */
import { eld } from "eld/small";

/** An ISO 639-1 code ("en", "es"), or undefined when the detector is not confident. */
export function promptLanguage(text: string): string | undefined {
  const result = eld.detect(text);
  return result.language !== "" && result.isReliable() ? result.language : undefined;
}
