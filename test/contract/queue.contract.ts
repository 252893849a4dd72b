/**
 * The queue port's contract: what the worker may rely on whichever queue runs underneath.
 * Each adapter's test file calls describeQueueContract with a factory for its harness.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { JobQueue, QueueMessage, QueueStats } from "../../src/core/ports.js";

export interface TestJob {
  n: number;
}

export interface QueueContractSettings {
  /** Deliveries before a message is dead-lettered. */
  maxAttempts: number;
  /** Delay before the first retry of a failed message; at least doubles with each attempt. */
  retryDelayMs: number;
  /** How soon a killed consumer's messages may come back; an adapter that notices at once ignores it. */
  lostConsumerTimeoutMs: number;
}

export interface QueueHarness {
  /** A new connection to the same queue, as another process would open: its own consumer identity. */
  connect(): Promise<JobQueue<TestJob>>;
  /** Makes a connection vanish as a killed process would: no acknowledgement, no clean shutdown. */
  kill(queue: JobQueue<TestJob>): Promise<void>;
  /** Closes every connection (the test has released its handlers) and fails on unexpected background errors. */
  close(): Promise<void>;
}

export type QueueFactory = (settings: QueueContractSettings) => Promise<QueueHarness>;

const defaults: QueueContractSettings = { maxAttempts: 3, retryDelayMs: 20, lostConsumerTimeoutMs: 30_000 };

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A promise the test opens when it chooses: how handlers are held in flight without timing. */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

const sameStats = (queue: JobQueue<TestJob>, expected: QueueStats) => async () => {
  const stats = await queue.stats();
  return (
    stats.ready === expected.ready && stats.inFlight === expected.inFlight && stats.dead === expected.dead
  );
};

/** Lets a broken adapter show itself (deliver too much, too early); never needed for a correct one to pass. */
const settle = (ms = 200) => new Promise((resolve) => setTimeout(resolve, ms));

export function describeQueueContract(name: string, factory: QueueFactory): void {
  describe(`JobQueue contract: ${name}`, () => {
    const harnesses: QueueHarness[] = [];
    const gates: Array<() => void> = [];

    async function setup(settings: Partial<QueueContractSettings> = {}) {
      const harness = await factory({ ...defaults, ...settings });
      harnesses.push(harness);
      const hold = () => {
        const g = gate();
        gates.push(g.open);
        return g;
      };
      return { harness, queue: await harness.connect(), hold };
    }

    afterEach(async () => {
      // Handlers left waiting by a failed test would keep close() waiting for ever.
      for (const open of gates.splice(0)) open();
      for (const harness of harnesses.splice(0)) await harness.close();
    });

    it("delivers messages in the order they were enqueued", async () => {
      const { queue } = await setup();
      for (let n = 0; n < 10; n++) await queue.enqueue({ n });
      const seen: number[] = [];
      const subscription = queue.consume(
        async (message) => {
          seen.push(message.payload.n);
        },
        { prefetch: 1 },
      );
      await waitFor(() => seen.length === 10, "10 deliveries");
      await subscription.stop();
      expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });

    it("acknowledges a message when its handler resolves, and removes it", async () => {
      const { queue } = await setup();
      const seen: Array<QueueMessage<TestJob>> = [];
      const subscription = queue.consume(
        async (message) => {
          seen.push(message);
        },
        { prefetch: 2 },
      );
      for (let n = 0; n < 3; n++) await queue.enqueue({ n });
      await waitFor(sameStats(queue, { ready: 0, inFlight: 0, dead: 0 }), "an empty queue");
      await settle();
      await subscription.stop();
      expect(seen.map((m) => m.payload.n).sort()).toEqual([0, 1, 2]);
      expect(seen.map((m) => m.attempt)).toEqual([1, 1, 1]);
      expect(new Set(seen.map((m) => m.id)).size).toBe(3);
    });

    it("retries a failed message with growing delays, counting attempts, then dead-letters it", async () => {
      const retryDelayMs = 100;
      const { queue } = await setup({ maxAttempts: 3, retryDelayMs });
      const failures: Array<{ attempt: number; at: number }> = [];
      const succeeded: number[] = [];
      const subscription = queue.consume(
        async (message) => {
          if (message.payload.n === 1) {
            failures.push({ attempt: message.attempt, at: Date.now() });
            throw new Error("poison");
          }
          succeeded.push(message.payload.n);
        },
        { prefetch: 1 },
      );
      await queue.enqueue({ n: 1 });
      await waitFor(sameStats(queue, { ready: 0, inFlight: 0, dead: 1 }), "a dead-lettered message");
      // A message enqueued after the dead one gets through: the consumer is still polling,
      // and the dead message was not delivered a fourth time in the meantime.
      await queue.enqueue({ n: 2 });
      await waitFor(() => succeeded.length === 1, "the next message");
      await subscription.stop();

      expect(failures.map((f) => f.attempt)).toEqual([1, 2, 3]);
      const [first, second, third] = failures as [
        (typeof failures)[0],
        (typeof failures)[0],
        (typeof failures)[0],
      ];
      // Lower bounds only: a slow machine makes the gaps longer, never shorter. 10 ms of slack
      // for clock rounding.
      expect(second.at - first.at).toBeGreaterThanOrEqual(retryDelayMs - 10);
      expect(third.at - second.at).toBeGreaterThanOrEqual(2 * retryDelayMs - 10);
      expect(await queue.stats()).toEqual({ ready: 0, inFlight: 0, dead: 1 });
    });

    it("acknowledges a message that fails once and then succeeds", async () => {
      const { queue } = await setup({ maxAttempts: 3 });
      const attempts: number[] = [];
      let done = false;
      const subscription = queue.consume(
        async (message) => {
          attempts.push(message.attempt);
          if (message.attempt === 1) throw new Error("transient");
          done = true;
        },
        { prefetch: 1 },
      );
      await queue.enqueue({ n: 1 });
      await waitFor(() => done, "the second attempt");
      await waitFor(sameStats(queue, { ready: 0, inFlight: 0, dead: 0 }), "an empty queue");
      await subscription.stop();
      expect(attempts).toEqual([1, 2]);
    });

    it("never runs more handlers at once than the prefetch", async () => {
      const { queue, hold } = await setup();
      const held = hold();
      let running = 0;
      let most = 0;
      let done = 0;
      for (let n = 0; n < 12; n++) await queue.enqueue({ n });
      const subscription = queue.consume(
        async () => {
          running += 1;
          most = Math.max(most, running);
          await held.wait;
          await new Promise((resolve) => setImmediate(resolve));
          running -= 1;
          done += 1;
        },
        { prefetch: 3 },
      );
      await waitFor(() => running === 3, "3 handlers running");
      await settle();
      expect(running).toBe(3);
      expect(await queue.stats()).toEqual({ ready: 9, inFlight: 3, dead: 0 });
      held.open();
      await waitFor(() => done === 12, "12 handled");
      await subscription.stop();
      expect(most).toBe(3);
    });

    it("redelivers the message of a consumer that died without acknowledging it", async () => {
      // Long enough that a loaded machine does not stall the survivor's heartbeat past it (a
      // second proved too short for a CI run on two busy cores).
      const { harness, queue: doomed, hold } = await setup({ lostConsumerTimeoutMs: 3000 });
      const survivor = await harness.connect();
      const never = hold();
      const first: Array<QueueMessage<TestJob>> = [];
      const second: Array<QueueMessage<TestJob>> = [];
      doomed.consume(
        async (message) => {
          first.push(message);
          await never.wait;
        },
        { prefetch: 1 },
      );
      await doomed.enqueue({ n: 42 });
      await waitFor(() => first.length === 1, "the first delivery");
      await harness.kill(doomed);

      const subscription = survivor.consume(
        async (message) => {
          second.push(message);
        },
        { prefetch: 1 },
      );
      await waitFor(() => second.length === 1, "the redelivery");
      await waitFor(sameStats(survivor, { ready: 0, inFlight: 0, dead: 0 }), "an empty queue");
      await subscription.stop();
      expect(first[0]?.attempt).toBe(1);
      expect(second[0]?.payload).toEqual({ n: 42 });
      expect(second[0]?.id).toBe(first[0]?.id);
      expect(second[0]?.attempt).toBe(2);
    });

    it("reports ready, in-flight and dead messages", async () => {
      const { queue, hold } = await setup({ maxAttempts: 1 });
      const held = hold();
      expect(await queue.stats()).toEqual({ ready: 0, inFlight: 0, dead: 0 });
      for (let n = 1; n <= 4; n++) await queue.enqueue({ n });
      expect(await queue.stats()).toEqual({ ready: 4, inFlight: 0, dead: 0 });
      const subscription = queue.consume(
        async (message) => {
          if (message.payload.n === 1) throw new Error("dead on arrival");
          await held.wait;
        },
        { prefetch: 2 },
      );
      await waitFor(sameStats(queue, { ready: 1, inFlight: 2, dead: 1 }), "1 ready, 2 in flight, 1 dead");
      held.open();
      await waitFor(sameStats(queue, { ready: 0, inFlight: 0, dead: 1 }), "only the dead one left");
      await subscription.stop();
    });

    it("stop() waits for the handlers in progress and takes nothing more", async () => {
      const { queue, hold } = await setup();
      const held = hold();
      const started: number[] = [];
      const finished: number[] = [];
      await queue.enqueue({ n: 1 });
      await queue.enqueue({ n: 2 });
      const subscription = queue.consume(
        async (message) => {
          started.push(message.payload.n);
          await held.wait;
          finished.push(message.payload.n);
        },
        { prefetch: 1 },
      );
      await waitFor(() => started.length === 1, "a running handler");
      let stopped = false;
      const stopping = subscription.stop().then(() => (stopped = true));
      await settle();
      expect(stopped).toBe(false);
      held.open();
      await stopping;
      expect(finished).toEqual([1]);
      await queue.enqueue({ n: 3 });
      await settle();
      expect(started).toEqual([1]);
      expect(await queue.stats()).toEqual({ ready: 2, inFlight: 0, dead: 0 });
    });

    it("delivers each message once across several consumers when every handler succeeds", async () => {
      const { harness, queue } = await setup();
      const consumers = [queue, await harness.connect(), await harness.connect()];
      const total = 300;
      const deliveries = new Map<number, number>();
      const byConsumer = consumers.map(() => 0);
      const subscriptions = consumers.map((consumer, index) =>
        consumer.consume(
          async (message) => {
            deliveries.set(message.payload.n, (deliveries.get(message.payload.n) ?? 0) + 1);
            byConsumer[index] = (byConsumer[index] ?? 0) + 1;
            await new Promise((resolve) => setImmediate(resolve));
          },
          { prefetch: 4 },
        ),
      );
      for (let n = 0; n < total; n++) await consumers[n % consumers.length]!.enqueue({ n });
      await waitFor(sameStats(queue, { ready: 0, inFlight: 0, dead: 0 }), "an empty queue", 60_000);
      await Promise.all(subscriptions.map((s) => s.stop()));
      expect(deliveries.size).toBe(total);
      expect([...deliveries.values()].every((count) => count === 1)).toBe(true);
      expect(byConsumer.reduce((a, b) => a + b, 0)).toBe(total);
    });

    it("lets a handler enqueue its continuation before it resolves, and keeps both", async () => {
      const { queue } = await setup();
      const seen: Array<{ n: number; attempt: number }> = [];
      const subscription = queue.consume(
        async (message) => {
          seen.push({ n: message.payload.n, attempt: message.attempt });
          // A slice of a large job: the rest goes back on the queue before this slice is
          // acknowledged, while this handler still holds the only slot.
          if (message.payload.n < 3) await queue.enqueue({ n: message.payload.n + 1 });
        },
        { prefetch: 1 },
      );
      await queue.enqueue({ n: 0 });
      await waitFor(() => seen.length === 4, "the whole chain");
      await waitFor(sameStats(queue, { ready: 0, inFlight: 0, dead: 0 }), "an empty queue");
      await settle();
      await subscription.stop();
      expect(seen).toEqual([0, 1, 2, 3].map((n) => ({ n, attempt: 1 })));
    });

    it("refuses a prefetch below 1", async () => {
      const { queue } = await setup();
      expect(() => queue.consume(async () => {}, { prefetch: 0 })).toThrow(/prefetch/);
    });
  });
}
