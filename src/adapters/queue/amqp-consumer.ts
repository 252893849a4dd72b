/**
 * One subscription to the main queue: its own channel, a per-consumer prefetch, manual
 * acknowledgement once the handler resolved.
 *
 * A failed handler's message is copied, confirmed, into the delay queue of its attempt (or, at
 * the last attempt, into the dead-letter queue with the error), and only then acknowledged. If
 * the copy cannot be stored, the original is handed back to the broker instead (nack with
 * requeue), which counts as a delivery, so the delivery limit still bounds it.
 *
 * When the channel dies (the connection dropped, or the broker closed it), the broker puts
 * every unacknowledged message of it back in the queue; the subscription opens a new channel
 * and consumes again by itself. Handlers still running from the dead channel cannot be stopped:
 * they run to the end, but their acknowledgement or retry is dropped (the broker has the
 * message back and delivers it again: at-least-once). Until they end they still hold their
 * slot, so this process never runs more than `prefetch` handlers at once, and a redelivery of a
 * message whose old handler still runs waits for it rather than running beside it.
 *
 * Consumer timeout: RabbitMQ closes a channel whose delivery stays unacknowledged longer than
 * its `consumer_timeout` (30 minutes by default; broker-wide in 3.x before 3.12). A handler that
 * runs past it leads to exactly the dead-channel case above, for every message of that channel:
 * all of them are delivered again, the long handler's work is done twice, and each timeout
 * counts towards the delivery limit, so a handler that always runs too long ends in the
 * dead-letter queue after `deliveryLimit` timeouts. Long work must therefore be cut in slices
 * that each finish well inside the timeout, each slice enqueueing its continuation before it
 * resolves: `enqueue` resolves only once the broker confirmed the continuation, and the
 * acknowledgement goes out after that, so a crash between the two leaves both (the slice is
 * redone, never lost).
 */
import { randomUUID } from "node:crypto";
import type { ChannelModel, ConsumeMessage } from "amqplib";
import { VersoError } from "../../core/errors.js";
import type { QueueMessage } from "../../core/ports.js";
import type { BrokerAddress } from "./amqp-address.js";
import { OpenChannel } from "./amqp-channel.js";
import type { AmqpLink } from "./amqp-link.js";
import { attemptOf, deadLetterHeaders, persistentMessage, type DeadReason } from "./amqp-message.js";
import type { ConfirmingPublisher } from "./amqp-publisher.js";
import { delayQueueName, type QueueTopology } from "./amqp-topology.js";

export interface ConsumerSettings {
  link: AmqpLink;
  publisher: ConfirmingPublisher;
  topology: QueueTopology;
  address: BrokerAddress;
  maxAttempts: number;
  /** The delay before the attempt after `attempt`; 0 sends the retry straight back to the main queue. */
  retryDelayFor(attempt: number): number;
  publishTimeoutMs: number;
  reattachDelayMs: number;
  maxReattachDelayMs: number;
  onError(error: Error): void;
  log(message: string): void;
}

interface Delivery {
  /** The channel it came on: the only one its tag means anything on. */
  readonly channel: OpenChannel;
  readonly message: ConsumeMessage;
  readonly id: string;
  readonly attempt: number;
}

export class AmqpConsumer<T> {
  private readonly settings: ConsumerSettings;
  private readonly handler: (message: QueueMessage<T>) => Promise<void>;
  private readonly prefetch: number;
  /** Handlers in progress, those of dead channels included: they still take a slot. */
  private readonly running = new Set<Delivery>();
  private readonly runningIds = new Map<string, number>();
  /** Delivered, waiting for a slot (or for the old handler of the same message). */
  private waiting: Delivery[] = [];
  private attached: { channel: OpenChannel; consumerTag: string } | undefined;
  private attaching: Promise<void> | undefined;
  private reattachTimer: NodeJS.Timeout | undefined;
  private attachFailures = 0;
  private stopping = false;
  private stopped: Promise<void> | undefined;
  private drainWaiters: Array<() => void> = [];
  private readonly unsubscribe: () => void;

  constructor(
    settings: ConsumerSettings,
    handler: (message: QueueMessage<T>) => Promise<void>,
    prefetch: number,
  ) {
    this.settings = settings;
    this.handler = handler;
    this.prefetch = prefetch;
    this.unsubscribe = settings.link.onUp(() => this.attach());
    this.attach();
  }

  /** Messages this subscription holds unacknowledged on a live channel: running or waiting for a slot. */
  get inFlight(): number {
    let count = 0;
    for (const delivery of this.running) if (delivery.channel.open) count += 1;
    for (const delivery of this.waiting) if (delivery.channel.open) count += 1;
    return count;
  }

  /** Stops taking messages, waits for every handler in progress, then closes the channel. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      this.unsubscribe();
      clearTimeout(this.reattachTimer);
      await this.attaching;
      const attached = this.attached;
      if (attached?.channel.open) {
        try {
          // Deliveries sent before the broker's reply still arrive, and are run like the others.
          await attached.channel.channel.cancel(attached.consumerTag);
        } catch {
          // The channel died meanwhile: nothing more comes from it.
        }
      }
      await new Promise<void>((resolve) => {
        this.drainWaiters.push(resolve);
        this.notifyIfDrained();
      });
      this.attached = undefined;
      await attached?.channel.close();
    })();
    return this.stopped;
  }

  private attach(): void {
    if (this.stopping || this.attaching || this.attached?.channel.open) return;
    const model = this.settings.link.current();
    if (!model) return; // onUp attaches once the connection is back
    clearTimeout(this.reattachTimer);
    this.attaching = this.attachTo(model).finally(() => (this.attaching = undefined));
  }

  private async attachTo(model: ChannelModel): Promise<void> {
    const { address, topology, onError } = this.settings;
    let opened: OpenChannel | undefined;
    try {
      const channel = await OpenChannel.plain(model, address, onError);
      opened = channel;
      void channel.closed.then((reason) => this.detached(channel, reason));
      await channel.channel.prefetch(this.prefetch);
      if (this.stopping) {
        await channel.close();
        return;
      }
      const { consumerTag } = await channel.channel.consume(
        topology.main,
        (message) => this.received(channel, message),
        { noAck: false },
      );
      this.attached = { channel, consumerTag };
      this.attachFailures = 0;
    } catch (error) {
      await opened?.close();
      if (this.stopping) return;
      const delay = this.reattachLater();
      onError(
        new VersoError(
          "DEPENDENCY_UNAVAILABLE",
          `cannot consume "${topology.main}" on ${address.display}: ${address.clean(error).message}; ` +
            `trying again in ${delay} ms`,
        ),
      );
    }
  }

  private detached(channel: OpenChannel, reason: Error | undefined): void {
    // Waiting deliveries of a dead channel are the broker's again.
    this.waiting = this.waiting.filter((delivery) => delivery.channel !== channel);
    const current = this.attached?.channel === channel;
    if (current) this.attached = undefined;
    this.notifyIfDrained();
    if (!current || this.stopping) return;
    const orphans = [...this.running].filter((delivery) => delivery.channel === channel).length;
    const held = orphans > 0 ? `; ${orphans} message(s) in progress will be delivered again` : "";
    const { topology, address } = this.settings;
    if (reason)
      this.settings.onError(
        new VersoError(
          "DEPENDENCY_UNAVAILABLE",
          `${address.display} closed the consumer channel of "${topology.main}" (${reason.message})${held}`,
        ),
      );
    else if (orphans > 0) this.settings.log(`the consumer channel of "${topology.main}" closed${held}`);
    this.reattachLater();
  }

  private reattachLater(): number {
    const { reattachDelayMs, maxReattachDelayMs } = this.settings;
    const delay = Math.min(maxReattachDelayMs, reattachDelayMs * 2 ** this.attachFailures);
    this.attachFailures += 1;
    clearTimeout(this.reattachTimer);
    this.reattachTimer = setTimeout(() => this.attach(), delay);
    return delay;
  }

  private received(channel: OpenChannel, message: ConsumeMessage | null): void {
    if (message === null) {
      // The broker cancelled the consumer: its queue was deleted. The channel is closed and
      // opened again, which retries until the queue is back.
      this.settings.onError(
        new VersoError(
          "DEPENDENCY_UNAVAILABLE",
          `${this.settings.address.display} cancelled the consumer of "${this.settings.topology.main}" (was the queue deleted?)`,
        ),
      );
      void channel.close();
      return;
    }
    const id = typeof message.properties.messageId === "string" ? message.properties.messageId : randomUUID();
    this.waiting.push({ channel, message, id, attempt: attemptOf(message) });
    this.pump();
  }

  private pump(): void {
    for (let index = 0; index < this.waiting.length && this.running.size < this.prefetch;) {
      const delivery = this.waiting[index]!;
      if (!delivery.channel.open) this.waiting.splice(index, 1);
      else if (this.runningIds.has(delivery.id)) index += 1;
      else {
        this.waiting.splice(index, 1);
        this.run(delivery);
      }
    }
    this.notifyIfDrained();
  }

  private run(delivery: Delivery): void {
    this.running.add(delivery);
    this.runningIds.set(delivery.id, (this.runningIds.get(delivery.id) ?? 0) + 1);
    void this.process(delivery)
      .catch((error: unknown) => this.settings.onError(this.settings.address.clean(error)))
      .finally(() => {
        this.running.delete(delivery);
        const left = (this.runningIds.get(delivery.id) ?? 1) - 1;
        if (left > 0) this.runningIds.set(delivery.id, left);
        else this.runningIds.delete(delivery.id);
        this.pump();
      });
  }

  private async process(delivery: Delivery): Promise<void> {
    const { maxAttempts } = this.settings;
    let payload: T;
    try {
      payload = JSON.parse(delivery.message.content.toString("utf8")) as T;
    } catch (error) {
      return this.bury(delivery, "unreadable", error);
    }
    // Its consumers kept stopping before they acknowledged it: each redelivery counted.
    if (delivery.attempt > maxAttempts) return this.bury(delivery, "redelivered");
    try {
      await this.handler({ id: delivery.id, payload, attempt: delivery.attempt });
    } catch (error) {
      if (delivery.attempt >= maxAttempts) return this.bury(delivery, "failed", error);
      return this.retry(delivery);
    }
    this.acknowledge(delivery);
  }

  private retry(delivery: Delivery): Promise<void> {
    const { topology, retryDelayFor } = this.settings;
    const delay = retryDelayFor(delivery.attempt);
    const target = delay > 0 ? delayQueueName(topology.main, delay) : topology.main;
    return this.moveTo(target, delivery, persistentMessage(delivery.id, delivery.attempt + 1));
  }

  private bury(delivery: Delivery, reason: DeadReason, error?: unknown): Promise<void> {
    const headers = deadLetterHeaders(reason, delivery.attempt, error);
    return this.moveTo(
      this.settings.topology.dead,
      delivery,
      persistentMessage(delivery.id, delivery.attempt, headers),
    );
  }

  /** Publishes the copy, confirmed, then acknowledges the original: never one without the other's safety. */
  private async moveTo(
    queue: string,
    delivery: Delivery,
    options: ReturnType<typeof persistentMessage>,
  ): Promise<void> {
    // The broker already took it back: a copy now would be a second live message.
    if (!this.stillHeld(delivery)) return;
    const { publisher, publishTimeoutMs, topology } = this.settings;
    try {
      await publisher.publish(queue, delivery.message.content, options, Date.now() + publishTimeoutMs);
    } catch (error) {
      this.settings.onError(
        new VersoError(
          "DEPENDENCY_UNAVAILABLE",
          `could not move message ${delivery.id} of "${topology.main}" to "${queue}" ` +
            `(${this.settings.address.clean(error).message}); it goes back to the queue`,
        ),
      );
      this.release(delivery);
      return;
    }
    this.acknowledge(delivery);
  }

  private acknowledge(delivery: Delivery): void {
    if (!this.stillHeld(delivery)) return;
    try {
      delivery.channel.channel.ack(delivery.message);
    } catch {
      this.lostBeforeSettling(delivery);
    }
  }

  private release(delivery: Delivery): void {
    if (!this.stillHeld(delivery)) return;
    try {
      delivery.channel.channel.nack(delivery.message, false, true);
    } catch {
      this.lostBeforeSettling(delivery);
    }
  }

  private stillHeld(delivery: Delivery): boolean {
    if (delivery.channel.open) return true;
    this.lostBeforeSettling(delivery);
    return false;
  }

  private lostBeforeSettling(delivery: Delivery): void {
    this.settings.log(
      `message ${delivery.id} of "${this.settings.topology.main}" finished after its channel closed; ` +
        `the broker delivers it again`,
    );
  }

  private notifyIfDrained(): void {
    if (this.running.size > 0 || this.waiting.some((delivery) => delivery.channel.open)) return;
    for (const resolve of this.drainWaiters.splice(0)) resolve();
  }
}
