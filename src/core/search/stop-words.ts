/**
 * The words of a prompt that say nothing of what the songs should be about: articles,
 * prepositions, pronouns, auxiliaries. In a catalog mostly in one language the function words of
 * another are rare, so the full text weighs them as if they were telling ("sobre", "para"
 * decided rankings): they are left out of the full-text query, in the prompt's language, and a
 * prompt made of them alone has nothing to match. The lists are the `stopword` package's, with
 * the words below added or kept, each for a reason given beside it.
 */
import { eng, spa } from "stopword";
import { foldWord } from "./fold.js";

/**
 * English words the list calls stop words that carry a prompt's meaning: negation ("never give
 * up"), direction and particles of phrasal verbs ("growing up", "breaking down", "going out").
 */
const keptEnglish = ["never", "no", "not", "up", "down", "out", "over", "away", "back", "alone", "like"];

/** Spanish function words the package's short list lacks: forms of ser/estar/haber, possessives, demonstratives. */
const addedSpanish = (
  "es son soy eres fue fueron ser era eran estar esta estas este estos esto estoy estan esa esas " +
  "eso esos aquel aquella hay ha han he has habia yo tu tus mis su sus nuestro nuestra vuestro " +
  "les unos unas tan algo asi aqui alli ahi entre hacia segun tras"
).split(" ");

const fold = (words: readonly string[]) => new Set(words.map(foldWord));

const keptEnglishSet = fold(keptEnglish);
const stopWords: Record<string, ReadonlySet<string>> = {
  en: new Set([...fold(eng)].filter((w) => !keptEnglishSet.has(w))),
  es: fold([...spa, ...addedSpanish]),
};

/** Every list at once: for a prompt whose language cannot be told. */
const anyLanguage: ReadonlySet<string> = new Set(Object.values(stopWords).flatMap((words) => [...words]));

/** Whether the word (any case, any accents) is a function word of the language, or of any known one. */
export function isStopWord(word: string, language?: string): boolean {
  const list = (language !== undefined ? stopWords[language] : undefined) ?? anyLanguage;
  return list.has(foldWord(word));
}

/** The words that carry meaning, in order; those of an unknown language are judged against every list. */
export function contentWords(words: readonly string[], language?: string): string[] {
  return words.filter((word) => !isStopWord(word, language));
}
