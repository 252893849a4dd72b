import { describe, expect, it } from "vitest";
import type { Translator } from "../../ports.js";
import { PassageTexts } from "./passage-texts.js";

/** The built-in model, which reads English only (src/core/embedding-models.ts). */
const english = { name: "use-lite-v1", dimension: 2 };

function translator(pairs: string[], fails = false) {
  const calls: { texts: readonly string[]; from: string; to: string }[] = [];
  const translate: Translator = {
    pairs,
    translate: async () => undefined,
    async translateAll(texts, from, to) {
      calls.push({ texts, from, to });
      return fails ? undefined : texts.map((t) => `[${from}→${to}] ${t}`);
    },
    async close() {},
  };
  return { translate, calls };
}

describe("PassageTexts", () => {
  it("translates the passages of songs in another language than the model's, in one call per language", async () => {
    const { translate, calls } = translator(["es-en", "fr-en"]);
    const songs = [
      { language: "en", passages: ["rain on the roof"] },
      { language: "es", passages: ["lluvia", "mar"] },
      { language: null, passages: ["unknown"] },
      { language: "es", passages: ["noche"] },
      { language: "de", passages: ["Regen"] },
    ];
    const { texts, translated } = await new PassageTexts({ model: english, translator: translate }).of(songs);
    expect(texts).toEqual([
      "rain on the roof",
      "[es→en] lluvia",
      "[es→en] mar",
      "unknown",
      "[es→en] noche",
      "Regen",
    ]);
    expect(translated).toBe(3);
    expect(calls).toEqual([{ texts: ["lluvia", "mar", "noche"], from: "es", to: "en" }]);
  });

  it("embeds the passages as written without a translator, for a multilingual model, or when translation fails", async () => {
    const songs = [{ language: "es", passages: ["lluvia"] }];
    expect((await new PassageTexts({ model: english }).of(songs)).texts).toEqual(["lluvia"]);
    const multilingual = { name: "m", dimension: 2 };
    const { translate, calls } = translator(["es-en"]);
    expect((await new PassageTexts({ model: multilingual, translator: translate }).of(songs)).texts).toEqual([
      "lluvia",
    ]);
    expect(calls).toEqual([]);
    const failing = translator(["es-en"], true);
    expect(await new PassageTexts({ model: english, translator: failing.translate }).of(songs)).toEqual({
      texts: ["lluvia"],
      translated: 0,
    });
  });
});
