/**
 * How a prompt is read: the text its vector is made of and the words the full text is asked
 * for. A prompt in another language than the model reads is embedded in translation, when a
 * translator knows the pair; its words are searched as written, and translated too.
 */
import type { Translator } from "../ports.js";
import { parsePrompt, type ParsedPrompt } from "./prompt.js";
import { promptLanguage } from "./prompt-language.js";
import { stems } from "./stems.js";
import { contentWords } from "./stop-words.js";
import type { RankingTuning } from "./tuning.js";

export type ReadingTuning = Pick<
  RankingTuning,
  "modelLanguage" | "translatePrompts" | "translatedTermsInLexical" | "stopWords"
>;

export interface PromptReading {
  /** The language the prompt is written in, when it can be told. */
  language: string | undefined;
  /** Whether the prompt is in another language than the one the model reads. */
  otherLanguage: boolean;
  /** The text to embed: the prompt's translation when there is one, else its own text. */
  textToEmbed: Promise<string>;
  /** The words to search the full text for. */
  terms(): Promise<string[]>;
  /** Their stems, each in its own language (stems.ts), to search as the beginnings of words. */
  stems(): Promise<string[]>;
  /**
   * The prompt's own words that carry meaning (its function words left out): none when it is
   * made of function words alone, or of no words at all.
   */
  contentTerms: string[];
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
  const detected = promptLanguage(prompt);
  const language = tuning.modelLanguage ? detected : undefined;
  const otherLanguage = language !== undefined && language !== tuning.modelLanguage;
  const contentTerms = contentWords(parsed.terms, detected);
  const own = tuning.stopWords ? contentTerms : parsed.terms;
  const translation =
    otherLanguage && tuning.translatePrompts && translator
      ? translator.translate(prompt, language, tuning.modelLanguage!)
      : Promise.resolve(undefined);
  const translated = translation.then((text) => (text === undefined ? undefined : parseTranslation(text)));
  /** The translation's words that join the prompt's own, in the model's language. */
  const theirs = async () => {
    if (!tuning.translatedTermsInLexical) return [];
    const words = (await translated)?.terms ?? [];
    return tuning.stopWords ? contentWords(words, tuning.modelLanguage) : words;
  };
  return {
    language: detected,
    otherLanguage,
    textToEmbed: translated.then((t) => t?.text ?? parsed.text),
    contentTerms,
    async terms() {
      return [...new Set([...own, ...(await theirs())])];
    },
    async stems() {
      return [...new Set([...stems(own, detected), ...stems(await theirs(), tuning.modelLanguage)])];
    },
  };
}
