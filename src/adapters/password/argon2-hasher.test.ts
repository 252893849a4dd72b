import { describe, expect, it } from "vitest";
import { createArgon2Hasher, owaspArgon2Parameters } from "./argon2-hasher.js";

/** "$argon2id$v=19$m=19456,t=2,p=1$salt$hash" → { m: 19456, t: 2, p: 1 } (in whatever order). */
const parametersOf = (hash: string): Record<string, number> => {
  const [, algorithm, , parameters] = hash.split("$");
  expect(algorithm).toBe("argon2id");
  return Object.fromEntries(
    (parameters ?? "")
      .split(",")
      .map((pair) => pair.split("="))
      .map(([k, v]) => [k, Number(v)]),
  );
};

describe("argon2id hasher with the production parameters", () => {
  const hasher = createArgon2Hasher();

  it("hashes with argon2id, m=19456 KiB, t=2, p=1, and a fresh salt each time", async () => {
    expect(owaspArgon2Parameters).toEqual({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    const first = await hasher.hash("correct horse battery staple");
    const second = await hasher.hash("correct horse battery staple");
    expect(parametersOf(first)).toEqual({ m: 19_456, t: 2, p: 1 });
    expect(first).not.toBe(second);
    expect(hasher.needsRehash(first)).toBe(false);
  });

  it("verifies the right password and refuses any other, however long", async () => {
    const long = "ω".repeat(999) + "a";
    const hash = await hasher.hash(long);
    expect(await hasher.verify(hash, long)).toBe(true);
    expect(await hasher.verify(hash, "ω".repeat(999) + "b")).toBe(false);
    expect(await hasher.verify(hash, "ω".repeat(999))).toBe(false);
  });

  it("asks for a rehash of weaker or foreign hashes, and never matches a malformed one", async () => {
    const weak = await createArgon2Hasher({ memoryCost: 1024, timeCost: 2, parallelism: 1 }).hash("x");
    expect(hasher.needsRehash(weak)).toBe(true);
    expect(hasher.needsRehash("$2b$10$abcdefghijklmnopqrstuv")).toBe(true);
    expect(await hasher.verify("not a hash", "x")).toBe(false);
  });
});
