import { describe, expect, it } from "vitest";
import { parsePromptText } from "./prompt.js";

const refusal = (text: string) => {
  try {
    parsePromptText(text);
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe("parsePromptText", () => {
  it("keeps a prompt in any script, with accents, emoji and a line break, trimmed", () => {
    for (const text of [
      "songs about the sea",
      "canciones de desamor 💔",
      "שירים על הים",
      "rain\non the roof",
    ])
      expect(parsePromptText(`  ${text} `)).toBe(text);
  });

  it("refuses a prompt that shows nothing: spaces, zero-width characters or NUL only", () => {
    for (const text of [
      "",
      "   ",
      "\u200b",
      "\u200b\u200c\u200d\u2060\ufeff",
      "\u0000",
      "\u0000\u0000 \u0000",
      "\u00ad",
    ])
      expect(refusal(text), JSON.stringify(text)).toBe("PROMPT_EMPTY");
  });

  it("refuses bidirectional overrides and isolates, control characters and NUL, as display names do", () => {
    for (const text of [
      "\u202eevil\u202c",
      "a \u2067rtl\u2069 b",
      "nul \u0000 byte",
      "bell \u0007",
      "esc \u001b[31m",
    ])
      expect(refusal(text), JSON.stringify(text)).toBe("PROMPT_INVALID");
  });

  it("refuses a lone surrogate rather than storing it as U+FFFD", () => {
    for (const text of ["\ud800", "rain \udfff", "x\udbffy", "\udc00\ud800"])
      expect(refusal(text), JSON.stringify(text)).toBe("PROMPT_INVALID");
    // A surrogate pair is one character: an emoji is fine.
    expect(parsePromptText("\ud83c\udfb5 music")).toBe("🎵 music");
  });
});
