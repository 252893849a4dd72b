/**
 * Queue port on RabbitMQ (`VERSO_QUEUE_URL=amqp://…` or `amqps://…`): durable quorum queues,
 * persistent messages, publisher confirms, manual acknowledgement after the handler resolved,
 * per-consumer prefetch, delayed retries through delay queues, a dead-letter queue that says
 * why, and a connection that comes back by itself.
 *
 *   amqp-topology.ts   the queues and their arguments (read it for the names)
 *   amqp-link.ts       the supervised connection: reconnection with backoff
 *   amqp-publisher.ts  confirmed publishing
 *   amqp-consumer.ts   one subscription: acknowledgement, retries, dead-lettering, consumer
 *                      timeouts, what happens to handlers whose channel died
 *   amqp-message.ts    the headers: attempts, the reason of a dead message (readDeadLetter)
 *   amqp-counts.ts     ready counts for stats()
 *   amqp-address.ts    the broker's name without its password
 *
 * Attempts count like the SQL queue's: every delivery counts, a lost consumer's included, and
 * a job is delivered at most `maxAttempts` times. A delivery past that (its consumers kept
 * dying) is dead-lettered without running; the queue's `x-delivery-limit` is the broker's own
 * bound on top, for a message that kills its consumer before this code sees it.
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import type { ConnectionOptions } from "node:tls";
import { VersoError } from "../../core/errors.js";
import type { JobQueue, QueueStats, Subscription } from "../../core/ports.js";
import { parseBrokerAddress } from "./amqp-address.js";
import { AmqpConsumer } from "./amqp-consumer.js";
import { ReadyCounter } from "./amqp-counts.js";
import { AmqpLink } from "./amqp-link.js";
import { persistentMessage } from "./amqp-message.js";
import { ConfirmingPublisher } from "./amqp-publisher.js";
import { declareTopology, planTopology, readyQueues } from "./amqp-topology.js";

export interface AmqpQueueOptions {
  /** `amqp://user:password@host:5672/vhost` or `amqps://…`; query settings such as `?heartbeat=30` pass to the client. */
  url: string;
  /** Base name of the queues: the main queue; `<queue>.dead` and `<queue>.delay.<ms>ms` are derived from it. */
  queue: string;
  /** Deliveries of a job before it is dead-lettered, counting lost consumers (default 5). */
  maxAttempts?: number;
  /** Delay before the first retry; doubles with every attempt (default 2000 ms). One delay queue per distinct delay. */
  retryDelayMs?: number;
  /** Ceiling of the retry delay (default 5 min). */
  maxRetryDelayMs?: number;
  /**
   * The main queue's `x-delivery-limit`: redeliveries of one copy of a message (its consumers
   * died, or timed out) before the broker dead-letters it (default maxAttempts). Fixed once the
   * queue exists: declaring it with another value fails with a clear error.
   */
  deliveryLimit?: number;
  /** How long the first connection may take before createAmqpQueue fails (default 30 s). */
  connectTimeoutMs?: number;
  /** How long enqueue() and stats() wait for the broker during an outage before DEPENDENCY_UNAVAILABLE (default 30 s). */
  unavailableAfterMs?: number;
  /** First delay before reconnecting, doubling up to maxReconnectDelayMs (defaults 200 ms and 30 s). */
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
  /** Shown by the broker for this connection (`connection_name`); default "verso <host> pid <pid>". */
  connectionName?: string;
  /** TLS settings for amqps:// (a private CA, a client certificate). */
  tls?: ConnectionOptions;
  /**
   * Errors no caller receives: a lost or refused connection, a channel the broker closed, a
   * retry that could not be stored. The queue goes on after them. Default: console.error.
   */
  onError?: (error: Error) => void;
  /** State changes worth a log line: connected, reconnected, a handler that outlived its channel. */
  log?: (message: string) => void;
}

/** AMQP's prefetch count is an unsigned 16-bit field. */
const PREFETCH_MAX = 65_535;

/** Connects, declares the queues and resolves once both are done; rejects with a VersoError otherwise. */
export async function createAmqpQueue<T>(options: AmqpQueueOptions): Promise<JobQueue<T>> {
  const address = parseBrokerAddress(options.url);
  const maxAttempts = positiveInteger("maxAttempts", options.maxAttempts ?? 5);
  const retryDelayMs = nonNegativeInteger("retryDelayMs", options.retryDelayMs ?? 2000);
  const maxRetryDelayMs = nonNegativeInteger("maxRetryDelayMs", options.maxRetryDelayMs ?? 5 * 60_000);
  const deliveryLimit = nonNegativeInteger("deliveryLimit", options.deliveryLimit ?? maxAttempts);
  const connectTimeoutMs = positiveInteger("connectTimeoutMs", options.connectTimeoutMs ?? 30_000);
  const unavailableAfterMs = positiveInteger("unavailableAfterMs", options.unavailableAfterMs ?? 30_000);
  const reconnectDelayMs = positiveInteger("reconnectDelayMs", options.reconnectDelayMs ?? 200);
  const maxReconnectDelayMs = positiveInteger("maxReconnectDelayMs", options.maxReconnectDelayMs ?? 30_000);
  const onError = neverThrowing(
    options.onError ?? ((error: Error) => console.error(`verso: queue "${options.queue}":`, error.message)),
  );
  const log = neverThrowing(options.log ?? (() => {}));

  const retryDelayFor = retrySchedule(retryDelayMs, maxRetryDelayMs);
  const topology = planTopology(options.queue, deliveryLimit, retryDelaysOf(maxAttempts, retryDelayFor));

  const link = new AmqpLink({
    url: options.url,
    address,
    socketOptions: {
      ...options.tls,
      // Bounds one connection attempt (TCP and handshake) against a host that never answers.
      timeout: Math.min(connectTimeoutMs, 10_000),
      clientProperties: {
        connection_name: options.connectionName ?? `verso ${os.hostname()} pid ${process.pid}`,
      },
    },
    reconnectDelayMs,
    maxReconnectDelayMs,
    prepare: (model) => declareTopology(model, topology, address),
    onError,
    log,
  });
  link.start();
  try {
    await link.connection(connectTimeoutMs);
  } catch (error) {
    await link.close();
    throw error;
  }

  const publisher = new ConfirmingPublisher(link, address, onError);
  const counter = new ReadyCounter(link, address, onError);
  const consumers = new Set<AmqpConsumer<T>>();
  let closed = false;
  const closedError = () => new VersoError("DEPENDENCY_UNAVAILABLE", `queue "${topology.main}" is closed`);

  return {
    async enqueue(payload) {
      if (closed) throw closedError();
      const notJson = (cause?: unknown) =>
        new VersoError(
          "VALIDATION_FAILED",
          `queue "${topology.main}": the payload is not JSON-serializable`,
          {
            cause,
          },
        );
      let text: string | undefined;
      try {
        text = JSON.stringify(payload);
      } catch (error) {
        throw notJson(error);
      }
      if (text === undefined) throw notJson();
      await publisher.publish(
        topology.main,
        Buffer.from(text),
        persistentMessage(randomUUID(), 1),
        Date.now() + unavailableAfterMs,
      );
    },

    consume(handler, { prefetch }) {
      if (closed) throw closedError();
      if (!(Number.isInteger(prefetch) && prefetch >= 1 && prefetch <= PREFETCH_MAX))
        throw new RangeError(`prefetch must be an integer from 1 to ${PREFETCH_MAX}, got ${prefetch}`);
      const consumer = new AmqpConsumer<T>(
        {
          link,
          publisher,
          topology,
          address,
          maxAttempts,
          retryDelayFor,
          publishTimeoutMs: unavailableAfterMs,
          reattachDelayMs: reconnectDelayMs,
          maxReattachDelayMs: maxReconnectDelayMs,
          onError,
          log,
        },
        handler,
        prefetch,
      );
      consumers.add(consumer);
      const subscription: Subscription = {
        stop: () => consumer.stop().finally(() => consumers.delete(consumer)),
      };
      return subscription;
    },

    /**
     * ready: the main queue and the delay queues (retries waiting for their time); dead: the
     * dead-letter queue; inFlight: the messages that this handle's own subscriptions hold
     * unacknowledged. The broker tells nobody else's unacknowledged count over AMQP, so with
     * several workers each one reports its own.
     */
    async stats(): Promise<QueueStats> {
      if (closed) throw closedError();
      const queues = [...readyQueues(topology), topology.dead];
      const counts = await counter.count(queues, unavailableAfterMs);
      const dead = counts.pop() ?? 0;
      let inFlight = 0;
      for (const consumer of consumers) inFlight += consumer.inFlight;
      return { ready: counts.reduce((sum, n) => sum + n, 0), inFlight, dead };
    },

    /** Stops every subscription (waiting for their handlers), then closes the channels and the connection. */
    async close() {
      closed = true;
      await Promise.all([...consumers].map((consumer) => consumer.stop()));
      consumers.clear();
      await publisher.close();
      await counter.close();
      await link.close();
    },
  };
}

/**
 * The names of the queues a queue with these options declares, for operators and for tests
 * that clean up after themselves.
 */
export function amqpQueueNames(
  options: Pick<AmqpQueueOptions, "queue" | "maxAttempts" | "retryDelayMs" | "maxRetryDelayMs">,
): { main: string; dead: string; delays: string[] } {
  const maxAttempts = options.maxAttempts ?? 5;
  const retryDelayFor = retrySchedule(options.retryDelayMs ?? 2000, options.maxRetryDelayMs ?? 5 * 60_000);
  const topology = planTopology(options.queue, 0, retryDelaysOf(maxAttempts, retryDelayFor));
  return { main: topology.main, dead: topology.dead, delays: topology.delays.map((d) => d.queue) };
}

const retrySchedule = (retryDelayMs: number, maxRetryDelayMs: number) => (attempt: number) =>
  Math.min(maxRetryDelayMs, retryDelayMs * 2 ** (attempt - 1));

/** The delay after each attempt that may be retried: attempts 1 … maxAttempts − 1. */
const retryDelaysOf = (maxAttempts: number, retryDelayFor: (attempt: number) => number) =>
  Array.from({ length: maxAttempts - 1 }, (_, index) => retryDelayFor(index + 1));

/**
 * The callbacks run inside the client library's event dispatch, where a throw would close a
 * channel or the connection: whatever they throw stays here.
 */
function neverThrowing<A>(callback: (argument: A) => void): (argument: A) => void {
  return (argument) => {
    try {
      callback(argument);
    } catch {
      // a broken logger must not break the queue
    }
  };
}

function positiveInteger(name: string, value: number): number {
  if (!(Number.isInteger(value) && value >= 1))
    throw new VersoError("VALIDATION_FAILED", `${name} must be a positive integer, got ${value}`);
  return value;
}

function nonNegativeInteger(name: string, value: number): number {
  if (!(Number.isInteger(value) && value >= 0))
    throw new VersoError("VALIDATION_FAILED", `${name} must be zero or a positive integer, got ${value}`);
  return value;
}
