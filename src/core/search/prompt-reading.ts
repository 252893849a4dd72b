/**
 * How a prompt is read: the text its vector is made of and the words the full text is asked
 * for. A prompt in another language than the model reads is embedded in translation, when a
 * translator knows the pair; its words are searched as written, and translated too.
 */
import type { Translator } from "../ports.js";
import { parsePrompt, type ParsedPrompt } from "./prompt.js";
import { promptLanguage } from "./prompt-language.js";
import type { RankingTuning } from "./tuning.js";

export type ReadingTuning = Pick<
  RankingTuning,
  "modelLanguage" | "translatePrompts" | "translatedTermsInLexical"
>;

export interface PromptReading {
  /** Whether the prompt is in another language than the one the model reads. */
  otherLanguage: boolean;
  /** The text to embed: the prompt's translation when there is one, else its own text. */
  textToEmbed: Promise<string>;
  /** The words to search the full text for. */
  terms(): Promise<string[]>;
}

/** A translation read as a prompt ("Songs to cry" → "cry"); as it is when it does not parse. */
function parseTranslation(text: string): Pick<ParsedPrompt, "text" | "terms"> {
  try {
    return parsePrompt(text);
  } catch {
    return { text, terms: [] };
  }
}

/** Starts the translation at once (when there is one to make): the caller awaits it where needed. */
export function readPrompt(
  prompt: string,
  parsed: ParsedPrompt,
  tuning: ReadingTuning,
  translator: Translator | undefined,
): PromptReading {
  const language = tuning.modelLanguage ? promptLanguage(prompt) : undefined;
  const otherLanguage = language !== undefined && language !== tuning.modelLanguage;
  const translation =
    otherLanguage && tuning.translatePrompts && translator
      ? translator.translate(prompt, language, tuning.modelLanguage!)
      : Promise.resolve(undefined);
  const translated = translation.then((text) => (text === undefined ? undefined : parseTranslation(text)));
  return {
    otherLanguage,
    textToEmbed: translated.then((t) => t?.text ?? parsed.text),
    async terms() {
      if (!tuning.translatedTermsInLexical) return parsed.terms;
      return [...new Set([...parsed.terms, ...((await translated)?.terms ?? [])])];
    },
  };
}
