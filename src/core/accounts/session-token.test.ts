import { describe, expect, it } from "vitest";
import { hashSessionToken, isWellFormedSessionToken, issueSessionToken } from "./session-token.js";

describe("session tokens", () => {
  it("are 256 random bits in base64url, stored as their SHA-256", () => {
    const { token, hash } = issueSessionToken();
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(isWellFormedSessionToken(token)).toBe(true);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashSessionToken(token));
  });

  it("never repeat", () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => issueSessionToken().token));
    expect(tokens.size).toBe(1000);
  });

  it("recognises what cannot be a token", () => {
    for (const token of ["", "short", "x".repeat(44), `${"a".repeat(42)}=`, `${"a".repeat(42)}+`]) {
      expect(isWellFormedSessionToken(token), token).toBe(false);
    }
  });
});
