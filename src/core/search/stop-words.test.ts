import { describe, expect, it } from "vitest";
import { contentWords, isStopWord } from "./stop-words.js";

describe("stop words", () => {
  it("are the function words of the prompt's language, whatever the case and the accents", () => {
    expect(contentWords(["canciones", "sobre", "el", "mar", "de", "noche"], "es")).toEqual([
      "canciones",
      "mar",
      "noche",
    ]);
    expect(contentWords(["songs", "about", "the", "sea", "at", "night"], "en")).toEqual([
      "songs",
      "sea",
      "night",
    ]);
    expect(isStopWord("MÁS", "es")).toBe(true);
    expect(isStopWord("Tú", "es")).toBe(true);
  });

  it("keep the words that carry a prompt's meaning: negation and the particles of phrasal verbs", () => {
    expect(contentWords(["never", "give", "up"], "en")).toEqual(["never", "give", "up"]);
    expect(contentWords(["growing", "up", "alone"], "en")).toEqual(["growing", "up", "alone"]);
  });

  it("are judged against every list when the language is unknown", () => {
    expect(contentWords(["sobre", "the", "para", "mar"])).toEqual(["mar"]);
    expect(contentWords(["sobre", "the"], "xx")).toEqual([]);
  });

  it("of one language are words of another: a Spanish function word stays in an English prompt", () => {
    expect(contentWords(["con", "sin", "sea"], "en")).toEqual(["con", "sin", "sea"]);
  });
});
