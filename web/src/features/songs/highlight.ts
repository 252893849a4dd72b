/**
 * Which words of a passage answer the prompt. The server says which passage matched, not which
 * words, so the words are found here: the prompt's meaningful words (not "songs about", not
 * "the" or "de"), compared without case or accents and by a light stem, so "leaving" marks
 * "leave" and "corazones" marks "corazón".
 */

export interface Segment {
  text: string;
  match: boolean;
}

/** Words that carry no meaning of their own in a prompt or a passage, by language. */
const stopWordsOf = {
  en: new Set(
    (
      "a an and any are as at be by for from how i in into is it me my of on or our so some that the their them " +
      "these this those to us was we were what when where which who with you your top best song songs track tracks " +
      "music about like feel feeling want need lyrics play list playlist"
    ).split(" "),
  ),
  es: new Set(
    (
      "un una unos unas el la los las lo y o de del al en con por para que qué como cómo mi mis tu tus su sus se " +
      "es son ser sea sean era fue sobre canción canciones cancion tema temas música musica letra letras quiero " +
      "algo me te nos le les ya no si sí"
    ).split(" "),
  ),
};

const wordPattern = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}]+)*/gu;

/** Lower case, without accents, without the possessive "'s". */
export function normalizeWord(word: string): string {
  return word
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/['’]s$/, "")
    .replace(/['’]/g, "");
}

/**
 * A text's stop words are its own language's ("sea" is a word in English, a verb form in
 * Spanish): the catalog's language when it has one, else Spanish when the text uses at least two
 * Spanish little words and more than English ones, else English. A one-word prompt ("sea") says
 * too little to be anything but the default.
 */
function stopWordsFor(text: string, language?: string | null): ReadonlySet<string> {
  if (language === "en" || language === "es") return stopWordsOf[language];
  let en = 0;
  let es = 0;
  for (const [word] of text.matchAll(wordPattern)) {
    const normalized = normalizeWord(word);
    if (stopWordsOf.en.has(normalized)) en++;
    if (stopWordsOf.es.has(normalized)) es++;
  }
  return es >= 2 && es > en ? stopWordsOf.es : stopWordsOf.en;
}

const suffixes = ["iendo", "ando", "ness", "ing", "es", "ed", "ly", "er", "s", "e", "a", "o", "y", "i"];

/** A light stem: common English and Spanish endings off, at most twice, keeping 3 letters. */
export function stem(word: string): string {
  let current = normalizeWord(word);
  for (let round = 0; round < 2; round++) {
    const suffix = suffixes.find((ending) => current.endsWith(ending) && current.length - ending.length >= 3);
    if (!suffix) break;
    current = current.slice(0, -suffix.length);
  }
  return current;
}

/** The stems of the prompt's meaningful words; numbers ("top 5") are left out. */
export function promptTerms(prompt: string): Set<string> {
  const terms = new Set<string>();
  const stopWords = stopWordsFor(prompt);
  for (const [word] of prompt.matchAll(wordPattern)) {
    const normalized = normalizeWord(word);
    if (normalized.length < 2 || stopWords.has(normalized) || /^\d+$/.test(normalized)) continue;
    terms.add(stem(normalized));
  }
  return terms;
}

/**
 * The text cut into runs that match a term and runs that do not; joined, they are the text.
 * `language` is the passage's (ISO 639-1), when the catalog knows it.
 */
export function highlight(text: string, terms: ReadonlySet<string>, language?: string | null): Segment[] {
  const stopWords = stopWordsFor(text, language);
  if (terms.size === 0) return text ? [{ text, match: false }] : [];
  const segments: Segment[] = [];
  let last = 0;
  const push = (piece: string, match: boolean) => {
    if (!piece) return;
    const previous = segments[segments.length - 1];
    if (previous && previous.match === match) previous.text += piece;
    else segments.push({ text: piece, match });
  };
  for (const found of text.matchAll(wordPattern)) {
    const word = found[0];
    const normalized = normalizeWord(word);
    if (stopWords.has(normalized) || !terms.has(stem(normalized))) continue;
    push(text.slice(last, found.index), false);
    push(word, true);
    last = found.index + word.length;
  }
  push(text.slice(last), false);
  return segments;
}

/**
 * Where the passage sits in the full lyrics, as offsets into the lyrics. Passages may differ
 * from the lyrics in whitespace (line breaks joined, spaces trimmed), so both are compared with
 * every run of whitespace as one space.
 */
export function locatePassage(lyrics: string, passage: string): { start: number; end: number } | null {
  const target = passage.trim().replace(/\s+/g, " ");
  if (!target) return null;
  const exact = lyrics.indexOf(passage.trim());
  if (exact >= 0) return { start: exact, end: exact + passage.trim().length };
  // Collapse the lyrics' whitespace, remembering where each collapsed character came from.
  let collapsed = "";
  const origin: number[] = [];
  for (let i = 0; i < lyrics.length; i++) {
    const char = lyrics[i]!;
    if (/\s/.test(char)) {
      if (collapsed.endsWith(" ") || collapsed.length === 0) continue;
      collapsed += " ";
    } else collapsed += char;
    origin.push(i);
  }
  const at = collapsed.indexOf(target);
  if (at < 0) return null;
  return { start: origin[at]!, end: origin[at + target.length - 1]! + 1 };
}
