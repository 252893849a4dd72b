/**
 * Words as Verso's own full-text scoring sees them: lower case, accents removed, runs of
 * letters and digits. Stored prompts keep them as `search_text`, every word between its own
 * pair of spaces (" rain  in  the  city "), so SQL can count a word's occurrences with
 * replace() and length() in every dialect alike.
 */

import { foldWord } from "../../core/search/fold.js";

export { foldWord };

export function searchWords(text: string): string[] {
  return (foldWord(text).match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w !== "");
}

export function searchText(text: string): { text: string; wordCount: number } {
  const words = searchWords(text);
  // At least 1: the score divides by it, and a prompt with no words matches nothing anyway.
  return { text: words.map((w) => ` ${w} `).join(""), wordCount: Math.max(1, words.length) };
}
