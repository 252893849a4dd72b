/**
 * Message counts read with passive declarations, the only count AMQP itself offers (no
 * management plugin needed). A passive declaration reports the messages ready in a queue:
 * neither those delivered and unacknowledged, nor how many consumers hold them. It runs on a
 * channel of its own, because asking about a queue that does not exist closes the channel.
 */
import type { Channel } from "amqplib";
import { VersoError } from "../../core/errors.js";
import type { BrokerAddress } from "./amqp-address.js";
import { OpenChannel } from "./amqp-channel.js";
import type { AmqpLink } from "./amqp-link.js";

export class ReadyCounter {
  private channel: OpenChannel<Channel> | undefined;
  private opening: Promise<OpenChannel<Channel>> | undefined;
  private readonly link: AmqpLink;
  private readonly address: BrokerAddress;
  private readonly onError: (error: Error) => void;

  constructor(link: AmqpLink, address: BrokerAddress, onError: (error: Error) => void) {
    this.link = link;
    this.address = address;
    this.onError = onError;
  }

  /** Ready messages of each queue, in order; DEPENDENCY_UNAVAILABLE when the broker cannot answer within timeoutMs. */
  async count(queues: readonly string[], timeoutMs: number): Promise<number[]> {
    const deadline = Date.now() + timeoutMs;
    const channel = await this.openChannel(timeoutMs);
    let timer: NodeJS.Timeout | undefined;
    // A connection that stopped answering (until its heartbeat notices) must not hang /metrics.
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), deadline - Date.now());
    });
    try {
      const replies = await Promise.race([
        Promise.all(queues.map((queue) => channel.channel.checkQueue(queue))),
        late,
      ]);
      return replies.map((reply) => reply.messageCount);
    } catch (error) {
      const clean = this.address.clean(error);
      throw new VersoError(
        "DEPENDENCY_UNAVAILABLE",
        `cannot count the messages of ${queues.map((q) => `"${q}"`).join(", ")} on ${this.address.display}: ${clean.message}`,
        { cause: clean },
      );
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    const channel = this.channel ?? (await this.opening?.catch(() => undefined));
    this.channel = undefined;
    await channel?.close();
  }

  private async openChannel(timeoutMs: number): Promise<OpenChannel<Channel>> {
    if (this.channel?.open) return this.channel;
    this.opening ??= (async () => {
      try {
        const model = await this.link.connection(timeoutMs);
        try {
          this.channel = await OpenChannel.plain(model, this.address, this.onError);
        } catch (error) {
          throw new VersoError(
            "DEPENDENCY_UNAVAILABLE",
            `cannot open a channel on ${this.address.display}: ${this.address.clean(error).message}`,
          );
        }
        return this.channel;
      } finally {
        this.opening = undefined;
      }
    })();
    return this.opening;
  }
}
