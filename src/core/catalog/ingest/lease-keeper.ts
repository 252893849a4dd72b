/** Renews a worker's lease while its run goes on, and notices when a renewal is refused. */
import type { IngestRunStore, Lease } from "../store.js";

export class LeaseKeeper {
  private refused = false;
  private readonly timer: NodeJS.Timeout;

  /** Renews `lease` for `leaseMs` from `clock()`, every third of it, until stopped. */
  constructor(store: Pick<IngestRunStore, "renewLease">, lease: Lease, leaseMs: number, clock: () => Date) {
    this.timer = setInterval(
      () => {
        store
          .renewLease(lease, new Date(clock().getTime() + leaseMs))
          .then((renewed) => {
            if (!renewed) this.refused = true;
          })
          // A renewal that failed (the database away a moment) is tried again at the next beat;
          // the lease lasts three beats.
          .catch(() => {});
      },
      Math.max(10, Math.floor(leaseMs / 3)),
    );
    this.timer.unref();
  }

  /** Whether a renewal was refused: another worker took the object over, or it changed. */
  get lost(): boolean {
    return this.refused;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
