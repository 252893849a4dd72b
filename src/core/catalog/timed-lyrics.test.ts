import { describe, expect, it } from "vitest";
import { isTimedLyrics, toLrc, untimedLyrics } from "./timed-lyrics.js";

describe("timed lyrics", () => {
  const lrc = [
    "[ar:The Lanterns]",
    "[ti:Harbour]",
    "[length: 03:12]",
    "[00:12.00]Ships come home at night",
    "[00:17.20][01:02.50]The lights along the quay",
    "",
    "[00:22.10]<00:22.10> word <00:22.60>by <00:23.00>word",
  ].join("\r\n");

  it("strips timestamps and header tags for search, keeping the lines", () => {
    expect(isTimedLyrics(lrc)).toBe(true);
    expect(untimedLyrics(lrc)).toBe("Ships come home at night\nThe lights along the quay\n\nword by word");
  });

  it("leaves plain lyrics as they are, brackets in the text too", () => {
    const plain = "[Chorus]\nOh the sea: it calls";
    expect(isTimedLyrics(plain)).toBe(false);
    expect(untimedLyrics(plain)).toBe("[Chorus]\nOh the sea: it calls");
  });

  it("writes timed lines as LRC", () => {
    expect(
      toLrc([
        { startMs: 62_500, text: "The lights" },
        { startMs: 5, text: "x" },
      ]),
    ).toBe("[01:02.50]The lights\n[00:00.01]x");
  });
});
