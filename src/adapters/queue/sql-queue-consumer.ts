/**
 * One consumer of the database queue: it claims up to `prefetch` jobs, runs the handler on
 * each, acknowledges or fails it, and extends its leases while the handlers run. One that dies
 * stops extending them, and its jobs become deliverable again once the leases expire
 * (at-least-once).
 */
import type { QueueMessage } from "../../core/ports.js";
import type { SqlQueueClaims } from "./sql-queue-claims.js";
import type { Lease, SqlQueueLeases } from "./sql-queue-leases.js";
import { onEnqueue } from "./sql-queue-wakeups.js";

export interface SqlQueueConsumerDeps<T> {
  queue: string;
  claims: SqlQueueClaims;
  leases: SqlQueueLeases;
  leaseMs: number;
  /** How often an idle consumer looks for work that another process enqueued. */
  pollIntervalMs: number;
  /** Errors that have no caller to go to: a failed poll, heartbeat or acknowledgement, a lost lease. */
  onError: (error: unknown) => void;
  handler: (message: QueueMessage<T>) => Promise<void>;
  prefetch: number;
}

export class SqlQueueConsumer<T> {
  private readonly running = new Map<number, { lease: Lease; done: Promise<void> }>();
  private stopping = false;
  private poked = false;
  private wakeSleeper: (() => void) | undefined;
  private beating = false;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly loop: Promise<void>;
  private stopped: Promise<void> | undefined;

  constructor(private readonly deps: SqlQueueConsumerDeps<T>) {
    // A third of the lease leaves two missed beats of slack before anyone may take the job.
    this.heartbeat = setInterval(() => void this.beat(), Math.max(10, Math.floor(deps.leaseMs / 3)));
    this.loop = this.run();
  }

  readonly poke = (): void => {
    this.poked = true;
    this.wakeSleeper?.();
  };

  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      this.poke();
      await this.loop;
      await Promise.all([...this.running.values()].map((r) => r.done));
      // Beats go on until the last handler settles, so a slow shutdown keeps its leases.
      clearInterval(this.heartbeat);
    })();
    return this.stopped;
  }

  private async run(): Promise<void> {
    const unsubscribe = onEnqueue(this.deps.queue, this.poke);
    try {
      while (!this.stopping) {
        this.poked = false;
        const free = this.deps.prefetch - this.running.size;
        let claimed = 0;
        if (free > 0) {
          try {
            const leases = await this.deps.claims.claim(free);
            claimed = leases.length;
            // Leases taken while stop() was called are still started: they are ours now,
            // and running them is cheaper than waiting for them to expire.
            for (const lease of leases) this.start(lease);
          } catch (error) {
            this.deps.onError(error);
          }
        }
        if (this.stopping) break;
        if (free > 0 && claimed === free) continue;
        await this.idle();
      }
    } finally {
      unsubscribe();
    }
  }

  private idle(): Promise<void> {
    if (this.poked) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakeSleeper = undefined;
        resolve();
      };
      const timer = setTimeout(wake, this.deps.pollIntervalMs);
      this.wakeSleeper = wake;
    });
  }

  private start(lease: Lease): void {
    const done = (async () => {
      let outcome: unknown = undefined;
      let failed = false;
      try {
        const payload = JSON.parse(lease.payload) as T;
        await this.deps.handler({ id: String(lease.id), payload, attempt: lease.attempts });
      } catch (error) {
        failed = true;
        outcome = error;
      }
      try {
        if (failed) await this.deps.leases.fail(lease, outcome);
        else await this.deps.leases.ack(lease);
      } catch (error) {
        this.deps.onError(error);
      }
    })().finally(() => {
      this.running.delete(lease.id);
      this.poke();
    });
    this.running.set(lease.id, { lease, done });
  }

  private async beat(): Promise<void> {
    if (this.beating || this.running.size === 0) return;
    this.beating = true;
    try {
      const leases = [...this.running.values()].map((r) => r.lease);
      const extended = await this.deps.leases.extend(leases);
      if (extended < leases.length) {
        // Either a handler settled between the snapshot and the update (harmless), or a
        // lease expired before this beat and another consumer may now run the same job.
        const still = leases.filter((lease) => this.running.has(lease.id)).length;
        if (extended < still) {
          this.deps.onError(
            new Error(
              `queue "${this.deps.queue}": ${still - extended} lease(s) expired before the heartbeat; ` +
                `their jobs may run twice (is the event loop blocked longer than ${this.deps.leaseMs} ms?)`,
            ),
          );
        }
      }
    } catch (error) {
      this.deps.onError(error);
    } finally {
      this.beating = false;
    }
  }
}
