/**
 * A channel with its fate tracked: `open` turns false the moment the broker or the connection
 * closes it, and `closed` resolves with the reason. Every event that could throw when nobody
 * listens ('error', a throwing listener) is heard here.
 *
 * Delivery tags belong to the channel they came on, so a delivery keeps the OpenChannel it
 * arrived with and is acknowledged there or not at all: after a reconnection, a tag sent on
 * the new channel would settle some other message.
 */
import type { Channel, ChannelModel, ConfirmChannel } from "amqplib";
import type { BrokerAddress } from "./amqp-address.js";

export class OpenChannel<C extends Channel = Channel> {
  readonly channel: C;
  /** Why the broker closed it (a channel error); undefined when it closed with its connection or by us. */
  closedBy: Error | undefined;
  readonly closed: Promise<Error | undefined>;
  private isOpen = true;
  private closing: Promise<void> | undefined;

  private constructor(channel: C, address: BrokerAddress, onError: (error: Error) => void) {
    this.channel = channel;
    let markClosed!: (reason: Error | undefined) => void;
    this.closed = new Promise((resolve) => (markClosed = resolve));
    channel.on("error", (error: unknown) => (this.closedBy = address.clean(error)));
    channel.on("close", () => {
      this.isOpen = false;
      markClosed(this.closedBy);
    });
    channel.on("handler-error", (error: unknown) => onError(address.clean(error)));
  }

  static async plain(model: ChannelModel, address: BrokerAddress, onError: (error: Error) => void) {
    return new OpenChannel<Channel>(await model.createChannel(), address, onError);
  }

  static async confirming(model: ChannelModel, address: BrokerAddress, onError: (error: Error) => void) {
    return new OpenChannel<ConfirmChannel>(await model.createConfirmChannel(), address, onError);
  }

  get open(): boolean {
    return this.isOpen;
  }

  /** Closes it if it is still open; never rejects. */
  close(): Promise<void> {
    if (!this.isOpen) return Promise.resolve();
    this.closing ??= this.channel.close().catch(() => {});
    return this.closing;
  }
}
