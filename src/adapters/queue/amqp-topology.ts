/**
 * The queues behind one AMQP job queue, all derived from one base name:
 *
 *   <base>               quorum queue the consumers read; a message redelivered more than the
 *                        delivery limit (its consumers keep dying) is dead-lettered by the broker
 *   <base>.dead          quorum queue of dead messages, kept for inspection
 *   <base>.delay.<ms>ms  one quorum queue per retry delay: nobody consumes it, its fixed TTL
 *                        expires each message back into <base>
 *
 * A fixed TTL per queue (rather than a per-message expiration in one delay queue) keeps every
 * delay queue in expiry order: RabbitMQ only expires the head of a queue, so one long delay
 * would otherwise hold up the short ones queued behind it. Each delay is in its queue's name,
 * so changing the retry settings declares new queues instead of clashing with the old ones,
 * which drain into <base> by themselves.
 *
 * Dead-lettering is at-least-once (the broker keeps the message in the source queue until the
 * target confirmed it), which quorum queues allow only with `reject-publish` overflow; no
 * length limit is set, so that overflow never refuses anything unless an operator adds one.
 */
import type { ChannelModel, Options } from "amqplib";
import { VersoError } from "../../core/errors.js";
import type { BrokerAddress } from "./amqp-address.js";

export interface QueueTopology {
  readonly main: string;
  readonly dead: string;
  /** Delay queues by their delay, shortest first. */
  readonly delays: ReadonlyArray<{ delayMs: number; queue: string }>;
  readonly deliveryLimit: number;
}

/** Longest base name: leaves room for the derived suffixes within AMQP's 255-byte limit. */
const BASE_NAME_MAX = 200;

export function planTopology(
  base: string,
  deliveryLimit: number,
  retryDelaysMs: readonly number[],
): QueueTopology {
  if (!base) throw new VersoError("VALIDATION_FAILED", "the queue name must not be empty");
  if (Buffer.byteLength(base) > BASE_NAME_MAX)
    throw new VersoError("VALIDATION_FAILED", `the queue name must be at most ${BASE_NAME_MAX} bytes`);
  if (base.startsWith("amq."))
    throw new VersoError(
      "VALIDATION_FAILED",
      `the queue name must not start with "amq." (reserved by the broker)`,
    );
  const delays = [...new Set(retryDelaysMs.filter((ms) => ms > 0))]
    .sort((a, b) => a - b)
    .map((delayMs) => ({ delayMs, queue: delayQueueName(base, delayMs) }));
  return { main: base, dead: `${base}.dead`, delays, deliveryLimit };
}

export function delayQueueName(base: string, delayMs: number): string {
  return `${base}.delay.${delayMs}ms`;
}

/** Every queue the stats read: the main queue, then the delay queues. */
export function readyQueues(topology: QueueTopology): string[] {
  return [topology.main, ...topology.delays.map((d) => d.queue)];
}

const quorum = (args: Record<string, unknown>): Options.AssertQueue => ({
  durable: true,
  arguments: { "x-queue-type": "quorum", ...args },
});

const deadLetterInto = (queue: string) => ({
  "x-dead-letter-exchange": "",
  "x-dead-letter-routing-key": queue,
  "x-dead-letter-strategy": "at-least-once",
  "x-overflow": "reject-publish",
});

/**
 * A declaration the broker refuses (a queue of that name exists with other arguments, or the
 * user may not declare it) will be refused again on every try: retrying cannot help, so the
 * first connection fails with this instead of retrying until its deadline.
 */
export class TopologyRefused extends VersoError {
  constructor(message: string, cause: Error) {
    super("DEPENDENCY_UNAVAILABLE", message, { cause });
    this.name = "TopologyRefused";
  }
}

/**
 * Declares every queue, idempotently: declaring a queue that exists with the same arguments
 * changes nothing. Runs on a channel of its own, since a refused declaration closes the channel.
 * The dead-letter targets are declared before the queues that feed them.
 */
export async function declareTopology(
  model: ChannelModel,
  topology: QueueTopology,
  address: BrokerAddress,
): Promise<void> {
  const channel = await model.createChannel();
  // A refusal is reported through the rejected declaration below; the channel's own error
  // event repeats it and must not go unheard (it would be thrown).
  channel.on("error", () => {});
  const declare = async (queue: string, options: Options.AssertQueue) => {
    try {
      await channel.assertQueue(queue, options);
    } catch (error) {
      throw refusal(queue, error, address);
    }
  };
  try {
    await declare(topology.dead, quorum({}));
    await declare(
      topology.main,
      quorum({ "x-delivery-limit": topology.deliveryLimit, ...deadLetterInto(topology.dead) }),
    );
    for (const { delayMs, queue } of topology.delays)
      await declare(queue, quorum({ "x-message-ttl": delayMs, ...deadLetterInto(topology.main) }));
  } finally {
    await channel.close().catch(() => {});
  }
}

function refusal(queue: string, error: unknown, address: BrokerAddress): Error {
  const clean = address.clean(error);
  const code = (error as { code?: unknown }).code;
  const detail = clean.message.replace(/^Operation failed: QueueDeclare; /, "");
  if (code === 406)
    return new TopologyRefused(
      `queue "${queue}" on ${address.display} already exists with other arguments (${detail}). ` +
        `Its arguments cannot change: delete the queue once it is drained, or configure another queue name.`,
      clean,
    );
  if (code === 403 || code === 405)
    return new TopologyRefused(`${address.display} refused to declare queue "${queue}": ${detail}`, clean);
  return new VersoError(
    "DEPENDENCY_UNAVAILABLE",
    `declaring queue "${queue}" on ${address.display} failed: ${detail}`,
    {
      cause: clean,
    },
  );
}
