import { describe, expect, it } from "vitest";
import { counterCache } from "../../../test/support/counter-cache.js";
import { AttemptLimiter, type AttemptRules } from "./attempt-limiter.js";

const rules: AttemptRules = {
  perAddress: { limit: 5, windowSeconds: 60 },
  perAddressAndName: { limit: 2, windowSeconds: 600 },
};

function setup(startIso = "2026-12-01T12:00:00.000Z", withRules: AttemptRules = rules) {
  let now = Date.parse(startIso);
  const limiter = new AttemptLimiter(
    counterCache(() => now),
    () => new Date(now),
    "login",
    withRules,
  );
  return { limiter, advance: (ms: number) => (now += ms) };
}

const refused = { code: "RATE_LIMITED" };

describe("attempt limiter", () => {
  it("refuses the attempt after the limit on one name, until the attempts are a window old", async () => {
    const { limiter, advance } = setup();
    await limiter.admit({ address: "a", name: "alice" });
    await limiter.admit({ address: "a", name: "alice" });
    advance(90_000);
    const error = await limiter.admit({ address: "a", name: "alice" }).catch((e: unknown) => e);
    expect(error).toMatchObject(refused);
    const wait = (error as { retryAfterSeconds: number }).retryAfterSeconds;
    // Not before the first two attempts are ten minutes old.
    expect(wait).toBeGreaterThanOrEqual(600 - 90);
    advance(wait * 1000);
    await expect(limiter.admit({ address: "a", name: "alice" })).resolves.toBeDefined();
  });

  it("keeps one address's failures from counting against another's", async () => {
    const { limiter } = setup();
    await limiter.admit({ address: "attacker", name: "alice" });
    await limiter.admit({ address: "attacker", name: "alice" });
    await expect(limiter.admit({ address: "attacker", name: "alice" })).rejects.toMatchObject({
      code: "RATE_LIMITED",
    });
    await expect(limiter.admit({ address: "owner", name: "alice" })).resolves.toBeDefined();
  });

  it("limits an address across names", async () => {
    const { limiter } = setup();
    for (let i = 0; i < 5; i += 1) await limiter.admit({ address: "a", name: `user${i}` });
    await expect(limiter.admit({ address: "a", name: "another" })).rejects.toMatchObject({
      code: "RATE_LIMITED",
    });
  });

  it("forgets a name's attempts after a success", async () => {
    const { limiter } = setup();
    await limiter.admit({ address: "a", name: "alice" });
    const admission = await limiter.admit({ address: "a", name: "alice" });
    await limiter.succeeded(admission);
    await expect(limiter.admit({ address: "a", name: "alice" })).resolves.toBeDefined();
  });

  it("lets attempts through again once the earlier ones are more than a window old", async () => {
    const { limiter, advance } = setup();
    await limiter.admit({ address: "a", name: "alice" });
    await limiter.admit({ address: "a", name: "alice" });
    advance(800_000);
    await expect(limiter.admit({ address: "a", name: "alice" })).resolves.toBeDefined();
  });

  it("limits one account across addresses: many addresses share one budget of guesses", async () => {
    const { limiter } = setup(undefined, {
      ...rules,
      perName: { limit: 3, windowSeconds: 900, trustDays: 30 },
    });
    for (const address of ["a1", "a2", "a3"]) await limiter.admit({ address, name: "alice" });
    // A fourth address, a first try from it, and still refused: the account's budget is spent.
    await expect(limiter.admit({ address: "a4", name: "alice" })).rejects.toMatchObject(refused);
    // Other accounts are not held back.
    await expect(limiter.admit({ address: "a4", name: "bob" })).resolves.toBeDefined();
  });

  it("does not hold back the owner, from an address the account signed in from, while others guess", async () => {
    const { limiter } = setup(undefined, {
      ...rules,
      perName: { limit: 3, windowSeconds: 900, trustDays: 30 },
    });
    await limiter.succeeded(await limiter.admit({ address: "home", name: "alice" }));
    for (const address of ["x1", "x2", "x3", "x4"])
      await limiter.admit({ address, name: "alice" }).catch(() => {});
    await expect(limiter.admit({ address: "x5", name: "alice" })).rejects.toMatchObject(refused);
    await expect(limiter.admit({ address: "home", name: "alice" })).resolves.toBeDefined();
  });

  it("does not let a name that looks like a key part collide with another subject", async () => {
    const { limiter } = setup();
    await limiter.admit({ address: "a:b", name: "c" });
    await limiter.admit({ address: "a:b", name: "c" });
    await expect(limiter.admit({ address: "a", name: "b:c" })).resolves.toBeDefined();
  });
});
