import { describe, expect, it } from "vitest";
import { parseBio, parseDisplayName } from "./profile.js";

describe("parseDisplayName", () => {
  it("keeps a name in any script, and an empty one (no display name)", () => {
    for (const name of ["Ana María", "李小龍", "🎸 Bob", ""])
      expect(parseDisplayName(` ${name} `)).toBe(name);
  });

  it("refuses line breaks, control characters, bidi overrides, broken Unicode and invisible-only names", () => {
    for (const name of ["a\nb", "a\tb", "\u202eevil", "nul\u0000", "\ud800", "\u200b", "\u200b\u2060"])
      expect(() => parseDisplayName(name), JSON.stringify(name)).toThrow(
        expect.objectContaining({ code: "DISPLAY_NAME_INVALID" }),
      );
  });
});

describe("parseBio", () => {
  it("keeps several lines", () => {
    expect(parseBio("first\nsecond")).toBe("first\nsecond");
  });
});
