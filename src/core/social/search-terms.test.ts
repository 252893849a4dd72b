import { describe, expect, it } from "vitest";
import { MAX_SEARCH_TERMS, promptSearchTerms } from "./search-terms.js";

describe("prompt search terms", () => {
  it("keeps the words, lower-case, once each, in order", () => {
    expect(promptSearchTerms("Rain, RAIN and the city's lights!")).toEqual([
      "rain",
      "and",
      "the",
      "city",
      "s",
      "lights",
    ]);
  });

  it("keeps letters of every script and their accents", () => {
    expect(promptSearchTerms("Canción de AMOR — любовь 愛")).toEqual([
      "canción",
      "de",
      "amor",
      "любовь",
      "愛",
    ]);
  });

  it("drops every character of a query language", () => {
    expect(promptSearchTerms('"sea" NEAR(x) col:sea* -^{}()')).toEqual(["sea", "near", "x", "col"]);
    expect(promptSearchTerms('*"()-')).toEqual([]);
  });

  it("stops at a bounded number of words", () => {
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`).join(" ");
    expect(promptSearchTerms(words)).toHaveLength(MAX_SEARCH_TERMS);
  });
});
