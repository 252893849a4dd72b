import { describe, expect, it } from "vitest";
import { fts5MatchExpression } from "./prompt-search.js";

describe("FTS5 match expression", () => {
  it("quotes every term and lets the last one of three letters or more match as a prefix", () => {
    expect(fts5MatchExpression(["songs", "about", "rai"])).toBe('"songs" "about" "rai"*');
    expect(fts5MatchExpression(["a", "ra"])).toBe('"a" "ra"');
    expect(fts5MatchExpression(["ñan"])).toBe('"ñan"*');
  });

  it("doubles quotes, so no term can close its string", () => {
    expect(fts5MatchExpression(['say "hi'])).toBe('"say ""hi"*');
  });
});
