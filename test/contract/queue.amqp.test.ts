/**
 * The queue contract and the RabbitMQ adapter's own promises, against the real broker
 * (testServers.rabbitmq). Every queue a test declares has a unique name and is deleted after it.
 * Each handle reaches the broker through its own relay (test/support/tcp-relay.ts), so a test can cut
 * one handle off the network, as a killed worker or a broker outage looks, without touching
 * the broker that other test runs share.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { headerNames, readDeadLetter } from "../../src/adapters/queue/amqp-message.js";
import {
  amqpQueueNames,
  createAmqpQueue,
  type AmqpQueueOptions,
} from "../../src/adapters/queue/amqp-queue.js";
import { VersoError } from "../../src/core/errors.js";
import type { JobQueue, QueueStats } from "../../src/core/ports.js";
import { testServers, uniqueName } from "../support/servers.js";
import {
  closeConnectionFromBroker,
  openBrokerAdmin,
  setQueuePolicy,
  type BrokerAdmin,
} from "./queue.amqp-broker.js";
import { startRelay, type TcpRelay as BrokerRelay } from "../support/tcp-relay.js";
import { describeQueueContract, gate, waitFor, type TestJob } from "./queue.contract.js";

const here = path.dirname(fileURLToPath(import.meta.url));

/** Lets a broken adapter show itself (run too much, too early); never needed for a correct one to pass. */
const settle = (ms = 300) => new Promise((resolve) => setTimeout(resolve, ms));

describeQueueContract("RabbitMQ quorum queues", async (settings) => {
  const options = {
    queue: uniqueName("verso_contract"),
    maxAttempts: settings.maxAttempts,
    retryDelayMs: settings.retryDelayMs,
  };
  const connections: Array<{
    queue: JobQueue<TestJob>;
    relay: BrokerRelay;
    errors: Error[];
    killed: boolean;
  }> = [];
  return {
    async connect() {
      const relay = await startRelay(testServers.rabbitmq);
      const errors: Error[] = [];
      const queue = await createAmqpQueue<TestJob>({
        ...options,
        url: relay.url,
        reconnectDelayMs: 50,
        maxReconnectDelayMs: 500,
        connectionName: `${options.queue}_${connections.length + 1}`,
        onError: (error) => errors.push(error),
      });
      connections.push({ queue, relay, errors, killed: false });
      return queue;
    },
    async kill(queue) {
      const connection = connections.find((c) => c.queue === queue);
      if (!connection) throw new Error("not a connection of this harness");
      // Its sockets vanish without a goodbye, and it cannot come back: the broker sees a dead
      // client and puts its unacknowledged messages back at once.
      connection.killed = true;
      await connection.relay.cut();
    },
    async close() {
      for (const connection of connections) {
        await connection.queue.close();
        await connection.relay.close();
      }
      const admin = await openBrokerAdmin();
      try {
        await admin.deleteQueues(options);
      } finally {
        await admin.close();
      }
      const unexpected = connections.filter((c) => !c.killed).flatMap((c) => c.errors);
      if (unexpected.length > 0)
        throw new AggregateError(unexpected, "background errors in live connections");
    },
  };
});

describe("RabbitMQ queue", () => {
  const cleanups: Array<() => Promise<void>> = [];
  const gates: Array<() => void> = [];
  afterEach(async () => {
    // Handlers still held (a failed test) would keep every close() below waiting.
    for (const open of gates.splice(0)) open();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function hold() {
    const held = gate();
    gates.push(held.open);
    return held;
  }

  async function admin(): Promise<BrokerAdmin> {
    const broker = await openBrokerAdmin();
    cleanups.push(() => broker.close());
    return broker;
  }

  /**
   * A handle through a relay of its own. Handles opened with the same `queue` share the queues;
   * every queue is deleted after the test.
   */
  async function open(overrides: Partial<AmqpQueueOptions> = {}) {
    const relay = await startRelay(testServers.rabbitmq);
    cleanups.push(() => relay.close());
    const errors: Error[] = [];
    const logs: string[] = [];
    const options: AmqpQueueOptions = {
      url: relay.url,
      queue: uniqueName("verso_amqp"),
      retryDelayMs: 20,
      reconnectDelayMs: 50,
      maxReconnectDelayMs: 500,
      unavailableAfterMs: 10_000,
      onError: (error) => errors.push(error),
      log: (message) => logs.push(message),
      ...overrides,
    };
    const broker = await admin();
    cleanups.push(() => broker.deleteQueues(options));
    const queue = await createAmqpQueue<TestJob>(options);
    cleanups.push(() => queue.close());
    return { queue, relay, errors, logs, options, broker, names: amqpQueueNames(options) };
  }

  const statsOf = (queue: JobQueue<TestJob>, expected: QueueStats) => async () =>
    JSON.stringify(await queue.stats()) === JSON.stringify(expected);

  describe("publisher confirms", () => {
    it("resolves enqueue once the broker holds the message", async () => {
      const { queue, broker, names } = await open();
      for (let n = 1; n <= 3; n++) {
        await queue.enqueue({ n });
        // No waiting: a confirmed message is in the queue when enqueue returns.
        expect(await broker.count(names.main)).toBe(n);
      }
      const message = await broker.take(names.main);
      expect(JSON.parse(message!.content.toString())).toEqual({ n: 1 });
      expect(message!.properties).toMatchObject({ deliveryMode: 2, contentType: "application/json" });
      expect(message!.properties.headers).toMatchObject({ [headerNames.attempt]: 1 });
    });

    it("rejects enqueue when the broker refuses the message", async () => {
      const queueName = uniqueName("verso_amqp");
      // A length limit set by policy: the queue's own reject-publish overflow then nacks.
      const clearPolicy = await setQueuePolicy(queueName, { "max-length": 2 });
      cleanups.push(clearPolicy);
      const { queue, broker, names } = await open({ queue: queueName });
      // Quorum queues enforce the limit once it is exceeded, so one more may get in first.
      let accepted = 0;
      let refused: unknown;
      for (let n = 1; n <= 5 && refused === undefined; n++) {
        await queue.enqueue({ n }).then(
          () => (accepted += 1),
          (error: unknown) => (refused = error),
        );
      }
      expect(accepted).toBeGreaterThanOrEqual(2);
      expect(refused).toBeInstanceOf(VersoError);
      expect(refused).toMatchObject({
        code: "DEPENDENCY_UNAVAILABLE",
        message: expect.stringMatching(/refused/),
      });
      // What enqueue accepted is there; what it refused is not.
      expect(await broker.count(names.main)).toBe(accepted);
    });
  });

  describe("dead-letter queue", () => {
    it("keeps a message whose handler failed maxAttempts times, with the last error", async () => {
      const { queue, broker, names } = await open({ maxAttempts: 2 });
      const ids: string[] = [];
      const subscription = queue.consume(
        async (message) => {
          ids.push(message.id);
          throw new Error(`cannot parse object ${message.payload.n}`);
        },
        { prefetch: 1 },
      );
      const before = Date.now();
      await queue.enqueue({ n: 7 });
      await waitFor(statsOf(queue, { ready: 0, inFlight: 0, dead: 1 }), "a dead message");
      await subscription.stop();
      const dead = await broker.take(names.dead);
      expect(JSON.parse(dead!.content.toString())).toEqual({ n: 7 });
      expect(dead!.properties.messageId).toBe(ids[0]);
      expect(new Set(ids).size).toBe(1);
      const letter = readDeadLetter(dead!);
      expect(letter).toMatchObject({ reason: "failed", attempts: 2 });
      expect(letter!.error).toContain("cannot parse object 7");
      expect(letter!.at!.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(letter!.at!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    });

    it("keeps a message whose consumers die past the delivery limit, with the broker's reason", async () => {
      const queueName = uniqueName("verso_amqp");
      const settings = { queue: queueName, deliveryLimit: 1, maxAttempts: 5 };
      const { queue: observer, broker, names } = await open(settings);
      await observer.enqueue({ n: 9 });
      // Each victim takes the message and dies holding it; the broker counts every return.
      for (let victim = 1; victim <= 2; victim++) {
        const { queue, relay } = await open(settings);
        const attempts: number[] = [];
        const never = hold();
        queue.consume(
          async (message) => {
            attempts.push(message.attempt);
            await never.wait;
          },
          { prefetch: 1 },
        );
        await waitFor(() => attempts.length === 1, `delivery to victim ${victim}`);
        expect(attempts).toEqual([victim]);
        await relay.cut();
      }
      await waitFor(statsOf(observer, { ready: 0, inFlight: 0, dead: 1 }), "the broker to dead-letter it");
      const dead = await broker.take(names.dead);
      expect(JSON.parse(dead!.content.toString())).toEqual({ n: 9 });
      expect(readDeadLetter(dead!)).toMatchObject({ reason: "delivery-limit", at: expect.any(Date) });
    });

    it("dead-letters without running it a message redelivered past maxAttempts", async () => {
      const queueName = uniqueName("verso_amqp");
      const settings = { queue: queueName, deliveryLimit: 10, maxAttempts: 2 };
      const { queue: observer, broker, names } = await open(settings);
      await observer.enqueue({ n: 4 });
      for (let victim = 1; victim <= 2; victim++) {
        const { queue, relay } = await open(settings);
        let taken = false;
        const never = hold();
        queue.consume(
          async () => {
            taken = true;
            await never.wait;
          },
          { prefetch: 1 },
        );
        await waitFor(() => taken, `delivery to victim ${victim}`);
        await relay.cut();
      }
      let ran = false;
      const subscription = observer.consume(
        async () => {
          ran = true;
        },
        { prefetch: 1 },
      );
      await waitFor(statsOf(observer, { ready: 0, inFlight: 0, dead: 1 }), "the message to be dead-lettered");
      await subscription.stop();
      expect(ran).toBe(false);
      expect(readDeadLetter((await broker.take(names.dead))!)).toMatchObject({
        reason: "redelivered",
        attempts: 3,
      });
    });

    it("dead-letters a message that is not JSON instead of choking on it", async () => {
      const { queue, broker, names } = await open();
      await broker.publishRaw(names.main, Buffer.from("{not json"));
      await queue.enqueue({ n: 1 });
      const seen: number[] = [];
      const subscription = queue.consume(
        async (message) => {
          seen.push(message.payload.n);
        },
        { prefetch: 1 },
      );
      await waitFor(
        statsOf(queue, { ready: 0, inFlight: 0, dead: 1 }),
        "the unreadable message to be dead-lettered",
      );
      await subscription.stop();
      expect(seen).toEqual([1]);
      const dead = await broker.take(names.dead);
      expect(dead!.content.toString()).toBe("{not json");
      expect(readDeadLetter(dead!)).toMatchObject({ reason: "unreadable" });
    });
  });

  describe("delayed retries", () => {
    it("parks a failed message in a delay queue, lets later messages pass, then redelivers it in order", async () => {
      const { queue, broker, names } = await open({ maxAttempts: 3, retryDelayMs: 1500 });
      const seen: Array<{ n: number; attempt: number; id: string }> = [];
      const subscription = queue.consume(
        async (message) => {
          seen.push({ n: message.payload.n, attempt: message.attempt, id: message.id });
          if (message.payload.n <= 2 && message.attempt === 1) throw new Error("not yet");
        },
        { prefetch: 1 },
      );
      for (let n = 1; n <= 3; n++) await queue.enqueue({ n });
      await waitFor(() => seen.length === 3, "the first three deliveries");
      // Both retries wait in the first delay queue, counted as ready, while the main queue is empty.
      await waitFor(async () => (await broker.count(names.delays[0]!)) === 2, "two parked retries");
      expect(await broker.count(names.main)).toBe(0);
      expect(await queue.stats()).toEqual({ ready: 2, inFlight: 0, dead: 0 });
      await waitFor(() => seen.length === 5, "the two retries");
      await waitFor(statsOf(queue, { ready: 0, inFlight: 0, dead: 0 }), "an empty queue");
      await subscription.stop();
      expect(seen.map(({ n, attempt }) => [n, attempt])).toEqual([
        [1, 1],
        [2, 1],
        [3, 1],
        [1, 2],
        [2, 2],
      ]);
      // A retry is the same job: same id.
      expect(seen[3]!.id).toBe(seen[0]!.id);
      expect(seen[4]!.id).toBe(seen[1]!.id);
    });

    it("backs off longer with every attempt, through a delay queue per delay", async () => {
      const { queue, names } = await open({ maxAttempts: 4, retryDelayMs: 100, maxRetryDelayMs: 200 });
      expect(names.delays).toEqual([`${names.main}.delay.100ms`, `${names.main}.delay.200ms`]);
      const attempts: Array<{ attempt: number; at: number }> = [];
      const subscription = queue.consume(
        async (message) => {
          attempts.push({ attempt: message.attempt, at: Date.now() });
          throw new Error("always");
        },
        { prefetch: 1 },
      );
      await queue.enqueue({ n: 1 });
      await waitFor(statsOf(queue, { ready: 0, inFlight: 0, dead: 1 }), "the message to be dead-lettered");
      await subscription.stop();
      expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4]);
      // Lower bounds only (a slow machine makes the gaps longer), with 10 ms for clock rounding.
      const gaps = attempts.slice(1).map((a, index) => a.at - attempts[index]!.at);
      expect(gaps[0]).toBeGreaterThanOrEqual(90);
      expect(gaps[1]).toBeGreaterThanOrEqual(190);
      expect(gaps[2]).toBeGreaterThanOrEqual(190);
    });
  });

  describe("reconnection", () => {
    it("comes back after the broker closes its connection: nothing lost, prefetch kept, no ack on a dead channel", async () => {
      const connectionName = uniqueName("verso_amqp_conn");
      const { queue, errors, logs } = await open({ connectionName });
      const held = hold();
      const started: Array<{ n: number; attempt: number }> = [];
      const finished = new Map<number, number>();
      const running = new Map<number, number>();
      let runningNow = 0;
      let most = 0;
      let overlapped = false;
      const subscription = queue.consume(
        async (message) => {
          const { n } = message.payload;
          started.push({ n, attempt: message.attempt });
          runningNow += 1;
          most = Math.max(most, runningNow);
          running.set(n, (running.get(n) ?? 0) + 1);
          if (running.get(n)! > 1) overlapped = true;
          try {
            if (n <= 2 && message.attempt === 1) await held.wait;
            finished.set(n, (finished.get(n) ?? 0) + 1);
          } finally {
            runningNow -= 1;
            running.set(n, running.get(n)! - 1);
          }
        },
        { prefetch: 2 },
      );
      for (let n = 1; n <= 4; n++) await queue.enqueue({ n });
      await waitFor(() => started.length === 2, "two held handlers");

      await closeConnectionFromBroker(connectionName);
      // Enqueued while the connection is down: each waits for the new connection, then is confirmed.
      for (let n = 5; n <= 8; n++) await queue.enqueue({ n });
      // The redelivered 1 and 2 wait for their old handlers, which still hold both slots.
      await settle();
      expect(started).toHaveLength(2);
      held.open();

      await waitFor(() => finished.size === 8, "every message handled");
      await waitFor(statsOf(queue, { ready: 0, inFlight: 0, dead: 0 }), "an empty queue");
      await settle();
      await subscription.stop();

      // The held two finished on a dead channel: not acknowledged there, delivered again.
      for (const n of [1, 2]) {
        expect(started.filter((s) => s.n === n).map((s) => s.attempt)).toEqual([1, 2]);
        expect(finished.get(n)).toBe(2);
      }
      // Everything else exactly once.
      for (let n = 3; n <= 8; n++) expect(started.filter((s) => s.n === n)).toEqual([{ n, attempt: 1 }]);
      expect(most).toBeLessThanOrEqual(2);
      expect(overlapped).toBe(false);
      expect(errors.some((e) => e instanceof VersoError && /lost the connection/.test(e.message))).toBe(true);
      expect(logs.some((line) => line.startsWith("reconnected"))).toBe(true);
    });

    it("makes enqueue wait for the broker within a bound, fail after it, and resumes consuming by itself", async () => {
      const { queue, relay } = await open({ unavailableAfterMs: 1500 });
      const seen: Array<{ n: number; attempt: number }> = [];
      const subscription = queue.consume(
        async (message) => {
          seen.push({ n: message.payload.n, attempt: message.attempt });
        },
        { prefetch: 1 },
      );
      await queue.enqueue({ n: 1 });
      await waitFor(() => seen.length === 1, "the first message");

      await relay.cut();
      const failed = await queue.enqueue({ n: 2 }).catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(VersoError);
      expect(failed).toMatchObject({ code: "DEPENDENCY_UNAVAILABLE" });
      await expect(queue.stats()).rejects.toMatchObject({ code: "DEPENDENCY_UNAVAILABLE" });

      // An enqueue that starts during the outage succeeds when the broker is back in time.
      const waiting = queue.enqueue({ n: 3 });
      await settle();
      await relay.restore();
      await waiting;
      await waitFor(() => seen.some((s) => s.n === 3), "delivery after the outage");
      await waitFor(statsOf(queue, { ready: 0, inFlight: 0, dead: 0 }), "an empty queue");
      await subscription.stop();
      // The acknowledgement of 1 may still have been on its way when the network went: then
      // the broker rightly delivers it again. 2 was never stored; 3 was, once.
      expect(seen[0]).toEqual({ n: 1, attempt: 1 });
      expect(seen.filter((s) => s.n !== 1)).toEqual([{ n: 3, attempt: 1 }]);
    });

    it("keeps a slice's continuation when the slice loses its channel before it is acknowledged", async () => {
      const { queue, relay } = await open();
      const held = hold();
      const seen: Array<{ n: number; attempt: number }> = [];
      let continued = false;
      const subscription = queue.consume(
        async (message) => {
          seen.push({ n: message.payload.n, attempt: message.attempt });
          if (message.payload.n === 0 && message.attempt === 1) {
            await queue.enqueue({ n: 1 });
            continued = true;
            await held.wait;
          }
        },
        { prefetch: 1 },
      );
      await queue.enqueue({ n: 0 });
      await waitFor(() => continued, "the continuation to be confirmed");
      // The connection goes between the confirmed continuation and the acknowledgement.
      await relay.cut();
      await relay.restore();
      held.open();
      await waitFor(() => seen.length === 3, "the continuation and the slice again");
      await waitFor(statsOf(queue, { ready: 0, inFlight: 0, dead: 0 }), "an empty queue");
      await settle();
      await subscription.stop();
      expect(seen[0]).toEqual({ n: 0, attempt: 1 });
      expect(seen.slice(1)).toEqual(
        expect.arrayContaining([
          { n: 0, attempt: 2 },
          { n: 1, attempt: 1 },
        ]),
      );
      expect(seen).toHaveLength(3);
    });

    it("redelivers the message of a worker process killed with SIGKILL", async () => {
      const queueName = uniqueName("verso_amqp");
      // The same settings as the child's, so both declare the same queues.
      const { queue } = await open({ queue: queueName, url: testServers.rabbitmq });
      await queue.enqueue({ n: 1 });
      const child = spawn(
        process.execPath,
        ["--import", "tsx", path.join(here, "queue.amqp-consumer.ts"), testServers.rabbitmq, queueName],
        {
          cwd: path.resolve(here, "../.."),
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
        child.on("exit", (code, signal) => resolve(signal ?? code)),
      );
      cleanups.push(async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        await exited;
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      await waitFor(
        () => stdout.includes("started"),
        `the child to take the job (stderr: ${stderr})`,
        30_000,
      );
      const [, childId, childAttempt] = stdout.trim().split(" ");
      expect(childAttempt).toBe("1");

      child.kill("SIGKILL");
      expect(await exited).toBe("SIGKILL");
      const seen: Array<{ id: string; attempt: number }> = [];
      const subscription = queue.consume(
        async (message) => {
          seen.push({ id: message.id, attempt: message.attempt });
        },
        { prefetch: 1 },
      );
      await waitFor(() => seen.length === 1, "the redelivery");
      await waitFor(statsOf(queue, { ready: 0, inFlight: 0, dead: 0 }), "an empty queue");
      await subscription.stop();
      expect(seen).toEqual([{ id: childId, attempt: 2 }]);
    });
  });

  describe("the broker's password", () => {
    const secret = "S3cret-Pa55:word!";
    const encoded = encodeURIComponent(secret);
    const leaks = (text: string) =>
      text.includes(secret) || text.includes(encoded) || text.includes("S3cret");

    it("never appears in the error of a refused login", async () => {
      const url = new URL(testServers.rabbitmq);
      url.password = encoded;
      const failure = await createAmqpQueue<TestJob>({
        url: url.toString(),
        queue: uniqueName("verso_amqp"),
      }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(VersoError);
      expect(failure).toMatchObject({
        code: "DEPENDENCY_UNAVAILABLE",
        message: expect.stringMatching(/ACCESS.REFUSED/),
      });
      expect(leaks(inspect(failure, { depth: 10 }))).toBe(false);
      expect((failure as Error).message).toContain(":***@");
    });

    it("never appears in the errors of a broker that cannot be reached", async () => {
      const relay = await startRelay(testServers.rabbitmq);
      await relay.close();
      const url = new URL(relay.url);
      url.username = "verso";
      url.password = encoded;
      const errors: Error[] = [];
      const failure = await createAmqpQueue<TestJob>({
        url: url.toString(),
        queue: uniqueName("verso_amqp"),
        connectTimeoutMs: 600,
        reconnectDelayMs: 50,
        onError: (error) => errors.push(error),
      }).catch((error: unknown) => error);
      expect(failure).toMatchObject({
        code: "DEPENDENCY_UNAVAILABLE",
        message: expect.stringMatching(/ECONNREFUSED/),
      });
      expect(errors.length).toBeGreaterThan(0);
      for (const error of [failure, ...errors]) expect(leaks(inspect(error, { depth: 10 }))).toBe(false);
    });

    it("never appears when the URL itself is malformed", async () => {
      const failure = await createAmqpQueue<TestJob>({
        url: `amqp://verso:${secret}@[bad`,
        queue: "q",
      }).catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: "VALIDATION_FAILED" });
      expect(leaks(inspect(failure, { depth: 10 }))).toBe(false);
    });
  });

  describe("topology", () => {
    it("declares its queues idempotently", async () => {
      const { queue, options } = await open();
      const second = await createAmqpQueue<TestJob>(options);
      cleanups.push(() => second.close());
      await second.enqueue({ n: 1 });
      expect(await queue.stats()).toEqual({ ready: 1, inFlight: 0, dead: 0 });
    });

    it("refuses, once and clearly, a queue that exists with other arguments", async () => {
      const broker = await admin();
      const queueName = uniqueName("verso_amqp");
      const options: AmqpQueueOptions = {
        url: testServers.rabbitmq,
        queue: queueName,
        connectTimeoutMs: 120_000,
      };
      cleanups.push(() => broker.deleteQueues(options));
      await broker.declareQueue(queueName, { "x-queue-type": "classic" });
      const errors: Error[] = [];
      // A retry loop would run into the test's timeout long before the connect timeout.
      const failure = await createAmqpQueue<TestJob>({ ...options, onError: (e) => errors.push(e) }).catch(
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(VersoError);
      expect(failure).toMatchObject({
        code: "DEPENDENCY_UNAVAILABLE",
        message: expect.stringContaining(`queue "${queueName}"`),
      });
      expect((failure as Error).message).toMatch(/already exists with other arguments.*inequivalent arg/);
      expect(errors).toEqual([]);
    });
  });

  it("close() waits for the handlers in progress, then closes the connection and refuses work", async () => {
    const connectionName = uniqueName("verso_amqp_conn");
    const { queue, broker, names } = await open({ connectionName });
    const held = hold();
    let finished = false;
    queue.consume(
      async () => {
        await held.wait;
        finished = true;
      },
      { prefetch: 1 },
    );
    await queue.enqueue({ n: 1 });
    await waitFor(statsOf(queue, { ready: 0, inFlight: 1, dead: 0 }), "a running handler");
    let closed = false;
    const closing = queue.close().then(() => (closed = true));
    await settle();
    expect(closed).toBe(false);
    held.open();
    await closing;
    expect(finished).toBe(true);
    expect(await broker.count(names.main)).toBe(0);
    await expect(closeConnectionFromBroker(connectionName)).rejects.toThrow(/no connection/);
    await expect(queue.enqueue({ n: 2 })).rejects.toMatchObject({ code: "DEPENDENCY_UNAVAILABLE" });
    expect(() => queue.consume(async () => {}, { prefetch: 1 })).toThrow(/closed/);
  });
});
