import { describe, expect, it } from "vitest";
import { loadCommonPasswords } from "./common-passwords.js";

describe("common passwords", () => {
  const common = loadCommonPasswords();

  it("knows the breach favourites, whatever their letter case", () => {
    for (const password of ["password", "12345678", "iloveyou", "Qwertyuiop", "PASSWORD1", "sunshine"]) {
      expect(common.includes(password), password).toBe(true);
    }
  });

  it("does not refuse ordinary passphrases", () => {
    for (const password of ["correct horse battery staple", "violet tugboat morning", "zq8#Lm2!vR"]) {
      expect(common.includes(password), password).toBe(false);
    }
  });
});
