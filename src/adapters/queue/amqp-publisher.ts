/**
 * Publishing with publisher confirms: `publish` resolves only once the broker has confirmed the
 * message, which for a quorum queue means a majority of its replicas stored it. Messages are
 * published `mandatory`, so one that no queue would take (its queue was deleted) comes back as
 * a failure instead of being confirmed into nowhere.
 *
 * When the channel or the connection dies before the confirmation, nobody can tell whether the
 * broker kept the message, so it is published again once a connection is back, until the
 * deadline: a message is never lost that way, though it may be stored twice (at-least-once;
 * the worker's processing is idempotent). A refusal by the broker (a nack: a length limit, an
 * internal error; or a channel it closed over the message) is final.
 */
import type { ConfirmChannel, Message, Options } from "amqplib";
import { VersoError } from "../../core/errors.js";
import type { BrokerAddress } from "./amqp-address.js";
import { OpenChannel } from "./amqp-channel.js";
import type { AmqpLink } from "./amqp-link.js";

/** The channel went away before the confirmation: the outcome is unknown, try again. */
class ConfirmLost extends Error {}

const CHANNEL_RETRY_MS = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ConfirmingPublisher {
  private channel: OpenChannel<ConfirmChannel> | undefined;
  private opening: Promise<OpenChannel<ConfirmChannel>> | undefined;
  /** Returns counted by queue and message id, until the confirmation that follows each of them. */
  private readonly returned = new Map<string, number>();
  private readonly link: AmqpLink;
  private readonly address: BrokerAddress;
  private readonly onError: (error: Error) => void;

  constructor(link: AmqpLink, address: BrokerAddress, onError: (error: Error) => void) {
    this.link = link;
    this.address = address;
    this.onError = onError;
  }

  /** Stores the message in the queue, confirmed, before `deadline` (epoch ms); DEPENDENCY_UNAVAILABLE otherwise. */
  async publish(queue: string, content: Buffer, options: Options.Publish, deadline: number): Promise<void> {
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw this.unconfirmed(queue);
      let channel: OpenChannel<ConfirmChannel>;
      try {
        channel = await this.openChannel(remaining);
      } catch (error) {
        if (error instanceof VersoError) throw error;
        // A connection that is going down refuses new channels before it reports its loss;
        // give it a moment to be replaced.
        await sleep(Math.min(CHANNEL_RETRY_MS, Math.max(0, deadline - Date.now())));
        continue;
      }
      try {
        await this.confirm(channel, queue, content, options, deadline);
        return;
      } catch (error) {
        if (!(error instanceof ConfirmLost)) throw error;
      }
    }
  }

  async close(): Promise<void> {
    const channel = this.channel ?? (await this.opening?.catch(() => undefined));
    this.channel = undefined;
    await channel?.close();
  }

  private async openChannel(timeoutMs: number): Promise<OpenChannel<ConfirmChannel>> {
    if (this.channel?.open) return this.channel;
    this.opening ??= (async () => {
      try {
        const model = await this.link.connection(timeoutMs);
        const channel = await OpenChannel.confirming(model, this.address, this.onError);
        channel.channel.on("return", (message: Message) => this.noteReturn(message));
        this.channel = channel;
        return channel;
      } finally {
        this.opening = undefined;
      }
    })();
    return this.opening;
  }

  private confirm(
    open: OpenChannel<ConfirmChannel>,
    queue: string,
    content: Buffer,
    options: Options.Publish,
    deadline: number,
  ): Promise<void> {
    const key = returnKey(queue, options.messageId);
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(() => settle(this.unconfirmed(queue)), Math.max(0, deadline - Date.now()));
      try {
        open.channel.sendToQueue(queue, content, { ...options, mandatory: true }, (error: unknown) => {
          // A return always arrives before the confirmation of the same message.
          const wasReturned = this.takeReturn(key);
          if (error === null || error === undefined) {
            if (wasReturned)
              settle(
                new VersoError(
                  "DEPENDENCY_UNAVAILABLE",
                  `${this.address.display} has no queue "${queue}" to take the message (was it deleted?)`,
                ),
              );
            else settle();
          } else if (error instanceof Error && error.message === "message nacked") {
            settle(
              new VersoError(
                "DEPENDENCY_UNAVAILABLE",
                `${this.address.display} refused a message for "${queue}"`,
              ),
            );
          } else if (open.closedBy) {
            // The broker closed the channel over this message (too large, say): sending it
            // again would meet the same answer until the deadline.
            settle(
              new VersoError(
                "DEPENDENCY_UNAVAILABLE",
                `${this.address.display} refused a message for "${queue}": ${open.closedBy.message}`,
                { cause: open.closedBy },
              ),
            );
          } else {
            settle(new ConfirmLost());
          }
        });
      } catch {
        // The channel closed between the check and the send.
        settle(new ConfirmLost());
      }
    });
  }

  private noteReturn(message: Message): void {
    const key = returnKey(message.fields.routingKey, message.properties.messageId);
    this.returned.set(key, (this.returned.get(key) ?? 0) + 1);
  }

  private takeReturn(key: string): boolean {
    const count = this.returned.get(key) ?? 0;
    if (count === 0) return false;
    if (count === 1) this.returned.delete(key);
    else this.returned.set(key, count - 1);
    return true;
  }

  private unconfirmed(queue: string): VersoError {
    return new VersoError(
      "DEPENDENCY_UNAVAILABLE",
      `${this.address.display} did not confirm a message for "${queue}" in time; it may or may not have been stored`,
    );
  }
}

function returnKey(queue: string, messageId: unknown): string {
  return `${queue}\u0000${String(messageId)}`;
}
