/**
 * One supervised connection to the broker. It connects, runs `prepare` (the topology) before the
 * connection counts as up, and when the connection drops it reconnects with a growing,
 * jittered delay until it is closed. Users never keep the connection: they ask for it when they
 * need it (`current`, or `connection` to wait within a bound) and listen to `onUp` to attach
 * again after a reconnection. Channels die with their connection, so whoever opened one watches
 * its `close` event (see amqp-channel.ts).
 *
 * Every event of the connection is handled: its `error` is remembered as the reason of the
 * `close` that always follows, and nothing a broker does can throw out of an event handler.
 */
import { connect, type ChannelModel, type SocketOptions } from "amqplib";
import { VersoError } from "../../core/errors.js";
import type { BrokerAddress } from "./amqp-address.js";
import { TopologyRefused } from "./amqp-topology.js";

export interface LinkOptions {
  url: string;
  address: BrokerAddress;
  socketOptions: SocketOptions;
  reconnectDelayMs: number;
  maxReconnectDelayMs: number;
  /** Runs on every new connection before it is handed out; a rejection fails that connection. */
  prepare(model: ChannelModel): Promise<void>;
  onError(error: Error): void;
  log(message: string): void;
}

type Waiter = (outcome: ChannelModel | Error) => void;

export class AmqpLink {
  private model: ChannelModel | undefined;
  private attempt: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private everUp = false;
  private closed = false;
  /** Set when the first connection was refused for a reason retrying cannot fix. */
  private fatal: Error | undefined;
  private lastFailure: Error | undefined;
  private readonly waiters = new Set<Waiter>();
  private readonly upListeners = new Set<(model: ChannelModel) => void>();
  private readonly options: LinkOptions;

  constructor(options: LinkOptions) {
    this.options = options;
  }

  get display(): string {
    return this.options.address.display;
  }

  start(): void {
    this.connectNow();
  }

  /** The connection while it is up. */
  current(): ChannelModel | undefined {
    return this.model;
  }

  /** The connection, waiting for it at most `timeoutMs`; DEPENDENCY_UNAVAILABLE after that. */
  connection(timeoutMs: number): Promise<ChannelModel> {
    if (this.model) return Promise.resolve(this.model);
    if (this.fatal) return Promise.reject(this.fatal);
    if (this.closed) return Promise.reject(this.closedError());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = (outcome) => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      const timer = setTimeout(() => {
        const reason = this.lastFailure ? `: ${this.lastFailure.message}` : "";
        waiter(
          new VersoError(
            "DEPENDENCY_UNAVAILABLE",
            `no connection to ${this.display} within ${timeoutMs} ms${reason}`,
            this.lastFailure ? { cause: this.lastFailure } : {},
          ),
        );
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Called with every connection that comes up, the first one included. */
  onUp(listener: (model: ChannelModel) => void): () => void {
    this.upListeners.add(listener);
    return () => this.upListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.settleWaiters(this.closedError());
    await this.attempt;
    const model = this.model;
    this.model = undefined;
    // Closing an already broken connection rejects; it is closed either way.
    await model?.close().catch(() => {});
  }

  private connectNow(): void {
    if (this.closed || this.attempt) return;
    this.attempt = this.tryConnect().finally(() => (this.attempt = undefined));
  }

  private async tryConnect(): Promise<void> {
    const { address } = this.options;
    let model: ChannelModel | undefined;
    let alive = false;
    try {
      model = await connect(this.options.url, this.options.socketOptions);
      alive = true;
      const connected = model;
      connected.on("error", (error: unknown) => (this.lastFailure = address.clean(error)));
      connected.on("close", (error?: unknown) => {
        alive = false;
        this.lost(connected, error);
      });
      connected.on("blocked", (reason: unknown) =>
        this.options.log(
          `${this.display} blocked publishing (${String(reason)}): enqueues wait until it unblocks`,
        ),
      );
      connected.on("unblocked", () => this.options.log(`${this.display} unblocked publishing`));
      connected.on("handler-error", (error: unknown) => this.options.onError(address.clean(error)));
      await this.options.prepare(connected);
      if (!alive) throw this.lastFailure ?? new Error("the connection closed while it was being prepared");
      if (this.closed) {
        await connected.close().catch(() => {});
        return;
      }
      this.model = connected;
      this.lastFailure = undefined;
      const restored = this.everUp;
      this.everUp = true;
      this.failures = 0;
      this.options.log(`${restored ? "reconnected" : "connected"} to ${this.display}`);
      this.settleWaiters(connected);
      for (const listener of this.upListeners) listener(connected);
    } catch (error) {
      const failure = error instanceof VersoError ? error : address.clean(error);
      this.lastFailure = failure;
      if (model && alive) await model.close().catch(() => {});
      if (this.closed) return;
      if (!this.everUp && isPermanent(error)) {
        this.fatal =
          failure instanceof VersoError
            ? failure
            : new VersoError(
                "DEPENDENCY_UNAVAILABLE",
                `${this.display} refused the connection: ${failure.message}`,
                {
                  cause: failure,
                },
              );
        this.closed = true;
        this.settleWaiters(this.fatal);
        return;
      }
      const delay = this.scheduleReconnect();
      this.options.onError(
        new VersoError(
          "DEPENDENCY_UNAVAILABLE",
          `cannot connect to ${this.display}: ${failure.message}; trying again in ${delay} ms`,
          { cause: failure },
        ),
      );
    }
  }

  private lost(model: ChannelModel, error: unknown): void {
    if (this.model !== model) return;
    this.model = undefined;
    if (this.closed) return;
    const reason = error === undefined ? "closed by the broker" : this.options.address.clean(error).message;
    const delay = this.scheduleReconnect();
    this.options.onError(
      new VersoError(
        "DEPENDENCY_UNAVAILABLE",
        `lost the connection to ${this.display} (${reason}); reconnecting in ${delay} ms`,
      ),
    );
  }

  /** Exponential backoff with ±20 % jitter, so workers that lost the same broker do not return in step. */
  private scheduleReconnect(): number {
    const { reconnectDelayMs, maxReconnectDelayMs } = this.options;
    const base = Math.min(maxReconnectDelayMs, reconnectDelayMs * 2 ** this.failures);
    const delay = Math.round(Math.min(maxReconnectDelayMs, base * (0.8 + Math.random() * 0.4)));
    this.failures += 1;
    clearTimeout(this.timer);
    // Not unref'd: a worker whose only work is waiting for the broker must stay alive for it.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.connectNow();
    }, delay);
    return delay;
  }

  private settleWaiters(outcome: ChannelModel | Error): void {
    for (const waiter of [...this.waiters]) waiter(outcome);
  }

  private closedError(): VersoError {
    return new VersoError("DEPENDENCY_UNAVAILABLE", `the queue on ${this.display} is closed`);
  }
}

/**
 * Refusals that the same settings will meet again: a declaration the broker refused, wrong
 * credentials, a virtual host that does not exist or may not be used. Only the first
 * connection gives up on them (a wrong setting should stop the start); once the queue has
 * worked, it keeps trying, since an operator may be fixing the broker.
 */
function isPermanent(error: unknown): boolean {
  if (error instanceof TopologyRefused) return true;
  const message = error instanceof Error ? error.message : "";
  return /Handshake terminated by server: (403|530)\b/.test(message);
}
