/** At most this many words of a search count; more would only slow the index down. */
export const MAX_SEARCH_TERMS = 12;
const MAX_TERM_LENGTH = 64;

/**
 * The words of a prompt search, lower-case, in order, without repeats. Words are runs of
 * letters, digits and combining marks, as the full-text tokenizers split them, so punctuation
 * never reaches a query language.
 */
export function promptSearchTerms(query: string): string[] {
  const words = query.toLowerCase().match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
  const unique = [...new Set(words.map((word) => word.slice(0, MAX_TERM_LENGTH)))];
  return unique.slice(0, MAX_SEARCH_TERMS);
}
