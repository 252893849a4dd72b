import { describe, expect, it } from "vitest";
import { stems } from "./stems.js";

describe("stems", () => {
  it("are the Snowball stems of the prompt's language, once each", () => {
    expect(stems(["dancing", "dances", "leaving", "mothers"], "en")).toEqual(["danc", "leav", "mother"]);
    expect(stems(["canciones", "llorar", "bailando", "Corazón"], "es")).toEqual([
      "cancion",
      "llor",
      "bail",
      "corazon",
    ]);
  });

  it("keep a word whose stem is too short to find only its own forms, and a word of an unknown language", () => {
    expect(stems(["crying", "car", "sea"], "en")).toEqual(["crying", "car", "sea"]);
    expect(stems(["Wörter"], undefined)).toEqual(["worter"]);
  });
});
