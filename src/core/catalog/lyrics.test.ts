import { describe, expect, it } from "vitest";
import { cleanLyrics, judgeLyrics, toPassages } from "./lyrics.js";

const words = (n: number, prefix = "w") => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(" ");

describe("judgeLyrics", () => {
  it.each([
    ["", "missing"],
    ["   ", "missing"],
    ["NA", "placeholder"],
    ["NA NA", "placeholder"],
    ["Instrumental", "placeholder"],
    ["(instrumental)", "placeholder"],
    ["nan", "placeholder"],
    [
      "Lyrics for this song have yet to be released. Please check back once the song has been released.",
      "placeholder",
    ],
    ["na na na hey hey goodbye", "fragment"],
    ["Again This couldn't happen again NA", "fragment"],
    ["I'm losing it I'm losing it I'm losing it I'm losing it I'm losing it I'm losing it", "fragment"],
    ["na na na, the night is young and the river runs home to the sea", "ok"],
  ])("%j is %s", (raw, status) => {
    expect(judgeLyrics(raw).status).toBe(status);
  });

  it("drops the upstream missing-line marker but keeps a sung na", () => {
    expect(cleanLyrics("I walk NA the line na na NA")).toBe("I walk the line na na");
  });

  it("keeps stanza breaks and folds runs of blank lines and spaces", () => {
    expect(cleanLyrics("a  b\r\n\r\n\r\n\r\nc \n d")).toBe("a b\n\nc\nd");
  });
});

describe("toPassages", () => {
  it("windows unbroken text into overlapping passages of about 50 words", () => {
    const passages = toPassages(words(130));
    expect(passages).toHaveLength(3);
    expect(passages[0]!.split(" ")).toHaveLength(50);
    expect(passages[1]!.startsWith("w40 ")).toBe(true);
    expect(passages[2]!.split(" ").at(-1)).toBe("w129");
  });

  it("keeps short text whole", () => {
    expect(toPassages("just a few words")).toEqual(["just a few words"]);
  });

  it("splits on stanzas, joining short ones and windowing long ones", () => {
    const stanza = (n: number, p: string) =>
      words(n, p)
        .replace(/ (\S+ \S+ \S+ \S+ \S+)/g, " $1\n")
        .trim();
    const text = [stanza(30, "a"), stanza(8, "b"), stanza(25, "c"), stanza(120, "d")].join("\n\n");
    const passages = toPassages(text);
    expect(passages[0]).toContain("a0");
    expect(passages[0]).not.toContain("b0");
    expect(passages[1]).toContain("b0");
    expect(passages[1]).toContain("c24");
    expect(passages.slice(2).every((p) => p.includes("d"))).toBe(true);
    expect(passages.length).toBeGreaterThanOrEqual(4);
  });

  it("embeds a repeated chorus once", () => {
    const chorus = words(25, "x").replace(/ (\S+ \S+ \S+ \S+ \S+)/g, " $1\n");
    const text = [words(25, "v"), chorus, words(25, "u"), chorus].join("\n\n");
    const passages = toPassages(text);
    expect(passages.filter((p) => p.includes("x0"))).toHaveLength(1);
  });

  it("bounds the passages of one song", () => {
    expect(toPassages(words(10_000), { words: 50, overlap: 10, minWords: 20, maxPassages: 8 })).toHaveLength(
      8,
    );
  });
});
