import { describe, expect, it } from "vitest";
import { promptLanguage } from "./prompt-language.js";

describe("promptLanguage", () => {
  it("tells Spanish prompts from English ones, short ones included", () => {
    for (const prompt of ["canciones para llorar", "te extraño, vuelve conmigo", "amor prohibido"])
      expect(promptLanguage(prompt), prompt).toBe("es");
    for (const prompt of ["christmas songs", "desire and seduction", "songs about my father"])
      expect(promptLanguage(prompt), prompt).toBe("en");
  });
});
