import { describe, expect, it } from "vitest";
import { isWellFormedUsername, normalizeUsername, parseNewUsername } from "./username.js";

describe("usernames", () => {
  it.each([
    ["abc", "abc"],
    ["Alice", "alice"],
    ["a.b-c_d", "a.b-c_d"],
    ["0123456789", "0123456789"],
    ["x".repeat(32), "x".repeat(32)],
  ])("accepts %j as %j", (raw, stored) => {
    expect(parseNewUsername(raw)).toBe(stored);
  });

  it.each(["ab", "x".repeat(33), "with space", "émile", "tab\tbed", "semi;colon", "", "a/b", "ﬀoo"])(
    "refuses %j with USERNAME_INVALID",
    (raw) => {
      expect(() => parseNewUsername(raw)).toThrow(expect.objectContaining({ code: "USERNAME_INVALID" }));
    },
  );

  it.each(["random", "Random"])("reserves %j, a word of the /api/users routes", (raw) => {
    expect(() => parseNewUsername(raw)).toThrow(expect.objectContaining({ code: "USERNAME_RESERVED" }));
  });

  it("compares case-insensitively through one stored form", () => {
    expect(normalizeUsername("MiXeD.Case")).toBe("mixed.case");
    expect(isWellFormedUsername("mixed.case")).toBe(true);
    expect(isWellFormedUsername("Mixed")).toBe(false);
    expect(isWellFormedUsername("no")).toBe(false);
  });
});
