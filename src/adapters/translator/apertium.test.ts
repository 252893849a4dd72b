import { describe, expect, it } from "vitest";
import { createApertiumTranslator, installedApertiumPairs } from "./apertium.js";

// CI installs apertium-eng-spa (.ci/run); the app works without it, and so does the other test.
describe("Apertium translator", () => {
  it("translates a Spanish prompt into English, through the real apertium", async () => {
    const pairs = await installedApertiumPairs();
    expect(pairs).toContain("es-en");
    const translator = createApertiumTranslator({ pairs });
    expect((await translator.translate("canciones para llorar", "es", "en"))?.toLowerCase()).toBe(
      "songs to cry",
    );
    expect(await translator.translate("una canción para mi novia", "es", "en")).toMatch(/girlfriend/i);
    // A pair that is not installed is no translation, not an error.
    expect(await translator.translate("chansons d'amour", "fr", "en")).toBeUndefined();
  });

  it("translates many passages in one go, each its own, line breaks kept, markup taken as text", async () => {
    const translator = createApertiumTranslator({ pairs: await installedApertiumPairs() });
    const passages = [
      "la mar estaba serena\nserena estaba la mar",
      "canciones para llorar",
      "<p>te extraño</p> & vuelve",
      ...Array.from({ length: 70 }, (_, i) => `mi perro número ${i}`),
    ];
    const translated = await translator.translateAll(passages, "es", "en");
    expect(translated).toHaveLength(passages.length);
    expect(translated![0]).toMatch(/^the sea was sober\n\S/i);
    expect(translated![1]!.toLowerCase()).toBe("songs to cry");
    expect(translated![2]).toMatch(/goes back|comes back|returns/i);
    expect(translated![72]).toMatch(/dog number 69/i);
    expect(await translator.translateAll(["bonjour"], "fr", "en")).toBeUndefined();
  });

  it("answers nothing, without throwing, when the program is missing or fails", async () => {
    expect(await installedApertiumPairs("/nonexistent/apertium")).toEqual([]);
    const broken = createApertiumTranslator({ pairs: ["es-en"], binary: "/nonexistent/apertium" });
    expect(await broken.translate("canciones para llorar", "es", "en")).toBeUndefined();
    const failing = createApertiumTranslator({ pairs: ["es-en"], binary: "false" });
    expect(await failing.translate("canciones para llorar", "es", "en")).toBeUndefined();
    expect(await failing.translateAll(["canciones para llorar"], "es", "en")).toBeUndefined();
  });
});
