/**
 * What counts as lyrics, and how lyrics become passages: the units that are embedded,
 * indexed and shown as the snippet that matched.
 */
import type { LyricsStatus } from "./song.js";

/** Whole-lyrics values that mean "no lyrics here". */
const placeholders = new Set([
  "na",
  "nan",
  "n/a",
  "none",
  "null",
  "instrumental",
  "(instrumental)",
  "[instrumental]",
  "instrumental.",
  "lyrics not available",
  "no lyrics",
]);

/** Fewer different words than this is a line or two, not lyrics a prompt can be matched against. */
export const MIN_DISTINCT_WORDS = 10;

/** Notes some sources put where the lyrics should be (matched on the folded text, in full). */
const placeholderNotes = [
  /^lyrics for this song have yet to be released\b/,
  /^(this song is )?(an )?instrumental( track| version)?\W*$/,
  /^(we do not|we don't) have the lyrics\b/,
  /^no lyrics (available|found)\b/,
];

/**
 * Upstream data marks a missing line or section with a bare upper-case "NA"; it is noise, not
 * words (a sung "na na na" is lower-case and stays).
 */
const missingLineMarker = /(^|\s)NA(?=\s|$)/g;

export function cleanLyrics(raw: string): string {
  return raw
    .replace(/\r\n?/g, "\n")
    .replace(missingLineMarker, "$1")
    .replace(/[^\S\n]+/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

export function judgeLyrics(raw: string): { status: LyricsStatus; text: string } {
  if (raw.trim() === "") return { status: "missing", text: "" };
  const text = cleanLyrics(raw);
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  const folded = words.join(" ");
  if (
    words.length === 0 ||
    words.every((w) => placeholders.has(w)) ||
    placeholders.has(folded) ||
    placeholderNotes.some((note) => note.test(folded))
  ) {
    return { status: "placeholder", text: "" };
  }
  const distinct = new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  if (distinct.size < MIN_DISTINCT_WORDS) return { status: "fragment", text: "" };
  return { status: "ok", text };
}

export interface ChunkOptions {
  /** Target passage length in words. */
  words: number;
  /** Words shared by consecutive windows of unbroken text. */
  overlap: number;
  /** A stanza shorter than this joins the next one. */
  minWords: number;
  /** Passages kept per song at most, so one endless text cannot stall the queue. */
  maxPassages: number;
}

export const defaultChunking: ChunkOptions = { words: 50, overlap: 10, minWords: 20, maxPassages: 64 };

const wordsOf = (text: string) => text.split(/\s+/).filter(Boolean);

function windows(words: string[], size: number, overlap: number): string[] {
  if (words.length <= size) return [words.join(" ")];
  const stride = Math.max(1, size - overlap);
  const out: string[] = [];
  for (let start = 0; start < words.length; start += stride) {
    const end = Math.min(words.length, start + size);
    // A short tail is already covered by the overlap of the previous window.
    if (start > 0 && end - start <= overlap) break;
    out.push(words.slice(start, end).join(" "));
    if (end === words.length) break;
  }
  return out;
}

/**
 * Lyrics with line breaks are split on stanzas (short ones joined, long ones windowed), which
 * keeps a passage to one idea; lyrics on a single line are cut into overlapping word windows.
 */
export function toPassages(text: string, options: ChunkOptions = defaultChunking): string[] {
  const passages: string[] = [];
  if (text.includes("\n")) {
    const stanzas = text
      .split(/\n\s*\n/)
      .map((s) => s.trim())
      .filter(Boolean);
    let pending: string[] = [];
    for (const stanza of stanzas) {
      const lines = stanza.split("\n");
      pending.push(...lines);
      const words = wordsOf(pending.join(" "));
      if (words.length < options.minWords) continue;
      if (words.length <= options.words * 1.5) passages.push(pending.join("\n"));
      else passages.push(...windows(words, options.words, options.overlap));
      pending = [];
    }
    if (pending.length > 0) {
      const tail = pending.join("\n");
      const last = passages.pop();
      // A lone short tail reads better joined to the stanza before it.
      if (last !== undefined && wordsOf(last).length + wordsOf(tail).length <= options.words * 1.5) {
        passages.push(`${last}\n${tail}`);
      } else {
        if (last !== undefined) passages.push(last);
        passages.push(tail);
      }
    }
  } else {
    passages.push(...windows(wordsOf(text), options.words, options.overlap));
  }
  // Repeated choruses would only be embedded again to find the same thing.
  return [...new Set(passages)].slice(0, options.maxPassages);
}
