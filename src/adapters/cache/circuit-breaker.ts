/**
 * A circuit breaker for one remote dependency. Closed, every call goes through; after
 * `failureThreshold` failures in a row it opens, and calls are answered without the remote for
 * `cooldownMs`; then it lets one call through as a probe (half-open): its success closes the
 * circuit, its failure opens it for another cooldown. Only one probe is out at a time, so a dead
 * server sees one attempt per cooldown however busy the process is.
 */
export type CircuitState = "closed" | "open" | "half-open";

export interface CircuitBreakerOptions {
  failureThreshold?: number;
  cooldownMs?: number;
  now?: () => number;
  onChange?: (state: CircuitState) => void;
}

export class CircuitBreaker {
  private current: CircuitState = "closed";
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  private readonly failureThreshold: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;
  private readonly onChange: ((state: CircuitState) => void) | undefined;

  constructor(options: CircuitBreakerOptions = {}) {
    this.failureThreshold = options.failureThreshold ?? 3;
    this.cooldownMs = options.cooldownMs ?? 5000;
    this.now = options.now ?? Date.now;
    this.onChange = options.onChange;
  }

  get state(): CircuitState {
    return this.current;
  }

  /**
   * Whether this call may go to the remote. A true answer obliges the caller to report the
   * outcome with `succeeded` or `failed`.
   */
  allow(): boolean {
    if (this.current === "closed") return true;
    if (this.current === "open") {
      if (this.now() - this.openedAt < this.cooldownMs) return false;
      this.change("half-open");
    }
    if (this.probing) return false;
    this.probing = true;
    return true;
  }

  succeeded(): void {
    this.failures = 0;
    this.probing = false;
    if (this.current !== "closed") this.change("closed");
  }

  failed(): void {
    this.failures += 1;
    if (this.current === "half-open" || this.failures >= this.failureThreshold) {
      this.probing = false;
      this.openedAt = this.now();
      if (this.current !== "open") this.change("open");
    }
  }

  private change(state: CircuitState): void {
    this.current = state;
    this.onChange?.(state);
  }
}
