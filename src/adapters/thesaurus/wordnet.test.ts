import { describe, expect, it } from "vitest";
import { createWordnetThesaurus } from "./wordnet.js";

describe("WordNet thesaurus", () => {
  const thesaurus = createWordnetThesaurus();

  it("finds the informal words for a word, from its commonest sense and the ones below it", async () => {
    expect(await thesaurus.related("mother")).toEqual(expect.arrayContaining(["mama", "mom"]));
    expect(await thesaurus.related("mothers")).toEqual(expect.arrayContaining(["mama"]));
    expect(await thesaurus.related("father")).toEqual(expect.arrayContaining(["dad"]));
  });

  it("answers single lower-case words, without the word itself, and nothing for an unknown word", async () => {
    const related = await thesaurus.related("car");
    expect(related).toContain("automobile");
    expect(related).not.toContain("car");
    for (const word of related) expect(word).toMatch(/^[a-z]+$/);
    expect(related.length).toBeLessThanOrEqual(10);
    expect(await thesaurus.related("qwzxv")).toEqual([]);
  });
});
