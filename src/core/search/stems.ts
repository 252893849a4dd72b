/**
 * The stems of a prompt's words (Snowball: "dancing" → "danc", "canciones" → "cancion"), for a
 * full-text query that finds the other forms of each word ("dance", "dancer"). A stem shorter
 * than four letters is kept as the word itself: as the beginning of words it would find
 * unrelated ones ("cri" for crying finds crime).
 */
import snowball from "snowball-stemmers";
import { foldWord } from "./fold.js";

const stemmers: Record<string, snowball.Stemmer> = {
  en: snowball.newStemmer("english"),
  es: snowball.newStemmer("spanish"),
};

const MIN_STEM = 4;

/** Each word's stem in the language (the word itself for an unknown language), once each. */
export function stems(words: readonly string[], language: string | undefined): string[] {
  const stemmer = language !== undefined ? stemmers[language] : undefined;
  return [
    ...new Set(
      words.map((word) => {
        const folded = foldWord(word);
        const stem = stemmer ? foldWord(stemmer.stem(folded)) : folded;
        return stem.length >= MIN_STEM ? stem : folded;
      }),
    ),
  ];
}
