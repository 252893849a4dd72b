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

  it("answers nothing, without throwing, when the program is missing or fails", async () => {
    expect(await installedApertiumPairs("/nonexistent/apertium")).toEqual([]);
    const broken = createApertiumTranslator({ pairs: ["es-en"], binary: "/nonexistent/apertium" });
    expect(await broken.translate("canciones para llorar", "es", "en")).toBeUndefined();
    const failing = createApertiumTranslator({ pairs: ["es-en"], binary: "false" });
    expect(await failing.translate("canciones para llorar", "es", "en")).toBeUndefined();
  });
});
