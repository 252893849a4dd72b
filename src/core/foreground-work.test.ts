import { describe, expect, it } from "vitest";
import { ForegroundWork, SharedForegroundTurns } from "./foreground-work.js";

const turnsOfTheLoop = async (n: number) => {
  for (let i = 0; i < n; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

describe("foreground work", () => {
  it("lets background work go on at once while no answer is being made", async () => {
    const foreground = new ForegroundWork(60_000);
    let turned = false;
    void foreground.turn().then(() => (turned = true));
    await turnsOfTheLoop(3);
    expect(turned).toBe(true);
  });

  it("holds background work while answers are being made, and lets it go when the last ends", async () => {
    const foreground = new ForegroundWork(60_000);
    const ends: (() => void)[] = [];
    const answer = () =>
      foreground.during(() => new Promise<string>((resolve) => ends.push(() => resolve("ok"))));
    const first = answer();
    const second = answer();
    expect(foreground.busy).toBe(true);
    let turned = false;
    void foreground.turn().then(() => (turned = true));
    await turnsOfTheLoop(10);
    ends[0]!();
    expect(await first).toBe("ok");
    await turnsOfTheLoop(10);
    expect(turned).toBe(false);
    ends[1]!();
    await second;
    await turnsOfTheLoop(3);
    expect(turned).toBe(true);
    expect(foreground.busy).toBe(false);
  });

  it("stops holding background work after its bound, though answers keep coming", async () => {
    const foreground = new ForegroundWork(5);
    void foreground.during(() => new Promise(() => {}));
    await expect(foreground.turn()).resolves.toBeUndefined();
    expect(foreground.busy).toBe(true);
  });

  it("ends an answer that fails as one that succeeds", async () => {
    const foreground = new ForegroundWork(60_000);
    await expect(foreground.during(() => Promise.reject(new Error("no")))).rejects.toThrow("no");
    expect(foreground.busy).toBe(false);
  });

  it("shows the answers being made through shared memory, where another thread's turns wait on them", async () => {
    const foreground = new ForegroundWork(60_000);
    const elsewhere = new SharedForegroundTurns(foreground.shared);
    const ends: (() => void)[] = [];
    const answer = () => foreground.during(() => new Promise<void>((resolve) => ends.push(resolve)));
    const answers = [answer(), answer()];
    expect(elsewhere.busy).toBe(true);
    let turned = false;
    void elsewhere.turn().then(() => (turned = true));
    ends[0]!();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(turned).toBe(false);
    ends[1]!();
    await Promise.all(answers);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(turned).toBe(true);
    expect(elsewhere.busy).toBe(false);
  });

  it("bounds another thread's wait as its own", async () => {
    const foreground = new ForegroundWork(20);
    void foreground.during(() => new Promise(() => {}));
    const elsewhere = new SharedForegroundTurns(foreground.shared);
    const began = performance.now();
    await elsewhere.turn();
    expect(performance.now() - began).toBeGreaterThanOrEqual(15);
    expect(elsewhere.busy).toBe(true);
  });
});
