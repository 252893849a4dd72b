import { describe, expect, it } from "vitest";
import { PerCatalogVersion } from "./per-version.js";

/** A figure whose reads are counted and finish only when the test says so. */
function countedFigure() {
  let reads = 0;
  let current = 100;
  const pending: (() => void)[] = [];
  const figure = new PerCatalogVersion(() => {
    reads += 1;
    const value = current;
    return new Promise<number>((resolve) => pending.push(() => resolve(value)));
  });
  return {
    figure,
    reads: () => reads,
    set: (value: number) => (current = value),
    finishReads: () => pending.splice(0).forEach((finish) => finish()),
  };
}

/** Lets the reads that are running finish, then answers what `get` answered. */
async function settled<T>(t: ReturnType<typeof countedFigure>, promise: Promise<T>): Promise<T> {
  for (let i = 0; i < 5; i += 1) {
    await new Promise((resolve) => setImmediate(resolve));
    t.finishReads();
  }
  return promise;
}

describe("a figure kept per catalog version", () => {
  it("is read once for a version however often it is asked", async () => {
    const t = countedFigure();
    expect(await settled(t, t.figure.get(1))).toEqual({ value: 100, version: 1 });
    t.set(200);
    expect(await settled(t, t.figure.get(1))).toEqual({ value: 100, version: 1 });
    expect(t.reads()).toBe(1);
  });

  it("is read again at a new version", async () => {
    const t = countedFigure();
    await settled(t, t.figure.get(1));
    t.set(200);
    expect(await settled(t, t.figure.get(2))).toEqual({ value: 200, version: 2 });
    expect(t.reads()).toBe(2);
  });

  it("shares one read among callers that ask at once", async () => {
    const t = countedFigure();
    const answers = Promise.all([t.figure.get(4), t.figure.get(4), t.figure.get(4)]);
    expect(await settled(t, answers)).toEqual([
      { value: 100, version: 4 },
      { value: 100, version: 4 },
      { value: 100, version: 4 },
    ]);
    expect(t.reads()).toBe(1);
  });

  it("never answers a caller with a read begun before its version", async () => {
    const t = countedFigure();
    const older = t.figure.get(1);
    t.set(300);
    const newer = t.figure.get(2);
    expect(await settled(t, older)).toEqual({ value: 100, version: 1 });
    expect(await settled(t, newer)).toEqual({ value: 300, version: 2 });
    expect(t.reads()).toBe(2);
  });

  it("reads again after a failed read", async () => {
    let fail = true;
    const figure = new PerCatalogVersion(async () => {
      if (fail) throw new Error("database away");
      return 7;
    });
    await expect(figure.get(1)).rejects.toThrow("database away");
    fail = false;
    expect(await figure.get(1)).toEqual({ value: 7, version: 1 });
  });
});
