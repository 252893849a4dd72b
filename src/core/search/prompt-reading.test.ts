import { describe, expect, it } from "vitest";
import type { Translator } from "../ports.js";
import { parsePrompt } from "./prompt.js";
import { readPrompt, type ReadingTuning } from "./prompt-reading.js";

const spanish = "canciones para bailar en la cocina con mi amor";
const english = "songs about a long desert road";

function translator(answer: string | undefined) {
  const asked: string[][] = [];
  const translate: Translator = {
    pairs: ["es-en"],
    async translate(text, from, to) {
      asked.push([text, from, to]);
      return answer;
    },
    translateAll: async () => undefined,
    async close() {},
  };
  return { translate, asked };
}

const readsEnglish: ReadingTuning = {
  modelLanguage: "en",
  translatePrompts: true,
  translatedTermsInLexical: false,
  stopWords: false,
};
const read = (prompt: string, tuning: ReadingTuning, withTranslator?: Translator) =>
  readPrompt(prompt, parsePrompt(prompt), tuning, withTranslator);

describe("readPrompt", () => {
  it("embeds a prompt in another language in translation, read as a prompt, and searches its own words", async () => {
    const { translate, asked } = translator("Songs about dancing in the kitchen");
    const reading = read(spanish, readsEnglish, translate);
    expect(reading.otherLanguage).toBe(true);
    expect(await reading.textToEmbed).toBe("dancing in the kitchen");
    expect(await reading.terms()).toEqual(parsePrompt(spanish).terms);
    expect(asked).toEqual([[spanish, "es", "en"]]);
  });

  it("adds the translation's words to its own when the tuning says so", async () => {
    const { translate } = translator("songs about dancing in the kitchen");
    const reading = read(spanish, { ...readsEnglish, translatedTermsInLexical: true }, translate);
    const terms = await reading.terms();
    expect(terms).toEqual(expect.arrayContaining([...parsePrompt(spanish).terms, "dancing", "kitchen"]));
    expect(new Set(terms).size).toBe(terms.length);
  });

  it("embeds the prompt as written in the model's language, without a translator, a translation or the tuning's leave", async () => {
    const { translate, asked } = translator("never used");
    expect(await read(english, readsEnglish, translate).textToEmbed).toBe(parsePrompt(english).text);
    expect(read(english, readsEnglish, translate).otherLanguage).toBe(false);
    expect(await read(spanish, readsEnglish).textToEmbed).toBe(parsePrompt(spanish).text);
    expect(await read(spanish, { ...readsEnglish, translatePrompts: false }, translate).textToEmbed).toBe(
      parsePrompt(spanish).text,
    );
    expect(asked).toEqual([]);
    const failed = translator(undefined);
    expect(await read(spanish, readsEnglish, failed.translate).textToEmbed).toBe(parsePrompt(spanish).text);
  });

  it("knows no other language for a model that reads every language", async () => {
    const { translate, asked } = translator("never used");
    const reading = read(spanish, { ...readsEnglish, modelLanguage: undefined }, translate);
    expect(reading.otherLanguage).toBe(false);
    expect(await reading.textToEmbed).toBe(parsePrompt(spanish).text);
    expect(asked).toEqual([]);
  });

  it("leaves the function words of the prompt's language out of the full text, and of its translation", async () => {
    const { translate } = translator("songs about dancing in the kitchen with my love");
    const reading = read(
      spanish,
      { ...readsEnglish, stopWords: true, translatedTermsInLexical: true },
      translate,
    );
    expect(reading.contentTerms).toEqual(["bailar", "cocina", "amor"]);
    expect(await reading.terms()).toEqual(["bailar", "cocina", "amor", "dancing", "kitchen", "love"]);
    expect(read(english, { ...readsEnglish, stopWords: true }).contentTerms).toEqual([
      "long",
      "desert",
      "road",
    ]);
  });

  it("finds no content in a prompt of function words or of no words", () => {
    for (const prompt of ["sobre", "para", "de", "canciones sobre", "songs about the", "🌊🌊🌊"]) {
      expect(read(prompt, { ...readsEnglish, stopWords: true }).contentTerms).toEqual([]);
    }
  });
});
