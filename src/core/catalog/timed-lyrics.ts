/**
 * Lyrics with timestamps (LRC: "[01:02.30]a line", several stamps on a line for a repeated one,
 * "<01:02.30>" before words in the enhanced form, "[ar:…]" header tags): searched without the
 * timestamps, shown with them.
 */

const lineStamps = /^(?:\s*\[\d{1,3}:\d{1,2}(?:[.:]\d{1,3})?\])+/;
const wordStamps = /<\d{1,3}:\d{1,2}(?:[.:]\d{1,3})?>\s?/g;
/** Header tags of LRC files: artist, title, album, author, length, offset, by, tool, version… */
const headerTag = /^\s*\[[a-z#]+:[^\]]*\]\s*$/i;

/** Whether the text is timed lyrics: at least one line starts with a timestamp. */
export function isTimedLyrics(text: string): boolean {
  return text.split(/\r\n?|\n/).some((line) => lineStamps.test(line));
}

/** The lyrics without their timestamps and header tags, lines kept in order. */
export function untimedLyrics(text: string): string {
  return text
    .split(/\r\n?|\n/)
    .filter((line) => !headerTag.test(line))
    .map((line) => line.replace(lineStamps, "").replace(wordStamps, "").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Timed lines (start in milliseconds, text) as LRC, for display. */
export function toLrc(lines: readonly { startMs: number; text: string }[]): string {
  const stamp = (ms: number) => {
    const total = Math.max(0, Math.round(ms / 10));
    const minutes = Math.floor(total / 6000);
    const seconds = Math.floor((total % 6000) / 100);
    const hundredths = total % 100;
    return `[${String(minutes).padStart(2, "0")}:${String(seconds).padStart(2, "0")}.${String(hundredths).padStart(2, "0")}]`;
  };
  return lines.map((line) => `${stamp(line.startMs)}${line.text}`).join("\n");
}
