import { describe, expect, it } from "vitest";
import { LaneScheduler, textsIn, type LaneCall } from "./lane-scheduler.js";
import type { Lane } from "./protocol.js";

/** A vector that names its text, so answers can be checked for order. */
const vectorOf = (text: string) => Float32Array.of(Number(text.replace(/\D/g, "")));
const answer = (batch: LaneCall[]) => {
  for (const call of batch) call.resolve(call.texts.map(vectorOf));
};
const texts = (count: number, from = 0) => Array.from({ length: count }, (_, i) => `t${from + i}`);

/** Hands out every batch to one taker of each lane, recording the batches. */
function takeAll(scheduler: LaneScheduler, lanesWithTakers: Lane[] = ["interactive", "bulk"]) {
  const sent: { lane: Lane; texts: string[][] }[] = [];
  scheduler.dispatch(
    (lane) => (lanesWithTakers.includes(lane) ? lane : undefined),
    (_, batch, lane) => {
      sent.push({ lane, texts: batch.map((call) => call.texts) });
      answer(batch);
    },
  );
  return sent;
}

describe("lane scheduler", () => {
  it("cuts a call into chunks of near-equal size and answers its vectors in order", async () => {
    const scheduler = new LaneScheduler(4);
    const vectors = scheduler.submit(texts(6), "bulk", {});
    expect(scheduler.queued()).toEqual({ interactive: 0, bulk: 6 });
    // 6 texts at most 4 a chunk: 3 + 3, one batch each since two chunks would pass 4.
    expect(takeAll(scheduler)).toEqual([
      { lane: "bulk", texts: [["t0", "t1", "t2"]] },
      { lane: "bulk", texts: [["t3", "t4", "t5"]] },
    ]);
    expect((await vectors).map((vector) => vector[0])).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("coalesces queued calls into batches of at most maxBatch texts", async () => {
    const scheduler = new LaneScheduler(5);
    const calls = [2, 2, 1, 3].map((count, i) => scheduler.submit(texts(count, i * 10), "bulk", {}));
    expect(takeAll(scheduler)).toEqual([
      { lane: "bulk", texts: [["t0", "t1"], ["t10", "t11"], ["t20"]] },
      { lane: "bulk", texts: [["t30", "t31", "t32"]] },
    ]);
    expect((await calls[1]!).map((vector) => vector[0])).toEqual([10, 11]);
  });

  it("hands interactive work out ahead of bulk work queued before it", () => {
    const scheduler = new LaneScheduler(64);
    void scheduler.submit(["t1"], "bulk", {});
    void scheduler.submit(["t2"], "interactive", {});
    expect(takeAll(scheduler).map((batch) => batch.lane)).toEqual(["interactive", "bulk"]);
  });

  it("stops a lane nobody can take while the other goes on", () => {
    const scheduler = new LaneScheduler(64);
    void scheduler.submit(["t1"], "interactive", {});
    void scheduler.submit(["t2"], "bulk", {});
    expect(takeAll(scheduler, ["bulk"])).toEqual([{ lane: "bulk", texts: [["t2"]] }]);
    expect(scheduler.queued()).toEqual({ interactive: 1, bulk: 0 });
  });

  it("puts the calls of a failed batch back at the front of their lanes, each alone", () => {
    const scheduler = new LaneScheduler(64);
    void scheduler.submit(["t1"], "bulk", {});
    void scheduler.submit(["t3"], "interactive", {});
    void scheduler.submit(["t4"], "interactive", {});
    let failed: LaneCall[] = [];
    scheduler.dispatch(
      () => "taker",
      (_, batch) => {
        if (failed.length === 0) failed = batch;
        else answer(batch);
      },
    );
    expect(failed.map((call) => call.texts)).toEqual([["t3"], ["t4"]]);
    void scheduler.submit(["t5"], "interactive", {});
    void scheduler.submit(["t6"], "interactive", {});
    scheduler.retryAlone(failed);
    // The retried calls come first, one batch each; the calls behind them coalesce as before.
    expect(takeAll(scheduler)).toEqual([
      { lane: "interactive", texts: [["t3"]] },
      { lane: "interactive", texts: [["t4"]] },
      { lane: "interactive", texts: [["t5"], ["t6"]] },
    ]);
  });

  it("keeps what a caller's calls carry beyond their texts, through retries", () => {
    const scheduler = new LaneScheduler<LaneCall & { crashes: number }>(64);
    void scheduler.submit(["t1"], "bulk", { crashes: 0 });
    let seen: (LaneCall & { crashes: number })[] = [];
    scheduler.dispatch(
      () => "taker",
      (_, batch) => (seen = batch),
    );
    seen[0]!.crashes += 1;
    scheduler.retryAlone(seen);
    scheduler.dispatch(
      () => "taker",
      (_, batch) => (seen = batch),
    );
    expect(seen[0]).toMatchObject({ texts: ["t1"], crashes: 1, solo: true });
  });

  it("drains every waiting call, interactive first", () => {
    const scheduler = new LaneScheduler(2);
    void scheduler.submit(texts(3), "bulk", {});
    void scheduler.submit(["t9"], "interactive", {});
    const drained = scheduler.drain();
    expect(drained.map((call) => call.priority)).toEqual(["interactive", "bulk", "bulk"]);
    expect(textsIn(drained)).toBe(4);
    expect(scheduler.queued()).toEqual({ interactive: 0, bulk: 0 });
    expect(takeAll(scheduler)).toEqual([]);
  });
});
