/**
 * In-process counters for rate limits, kept apart from cached values: a value cache may evict
 * whatever it likes, but evicting a live counter resets somebody's limit. So counters are
 * never evicted before they expire; instead the table has a hard bound, and when it is full of
 * live counters a new key fails closed: it is not stored and answers `REFUSED_COUNT`, a count
 * above any limit, so the caller refuses the attempt. Counters already counting keep counting.
 *
 * Expired counters are swept a few at a time on every increment (insertion order is roughly
 * expiry order when windows are alike) and all at once when the table is full, at most once
 * per `fullSweepIntervalMs` so that a flood of new keys cannot make every call scan the table.
 */

/** What a new key answers while the table is full: above any limit, so the attempt is refused. */
export const REFUSED_COUNT = Number.MAX_SAFE_INTEGER;

export interface CounterTableOptions {
  /** Most counters alive at once (default 100,000: about 25 MB with rate-limit keys). */
  maxCounters?: number;
  /** Least time between two full sweeps of a full table (default 1000 ms). */
  fullSweepIntervalMs?: number;
  /** Called each time a new key is refused because the table is full. */
  onRefused?: () => void;
  /** Milliseconds clock (tests move it by hand). */
  now?: () => number;
}

interface Counter {
  count: number;
  expiresAt: number;
}

const SWEPT_PER_INCREMENT = 4;

export class CounterTable {
  private readonly counters = new Map<string, Counter>();
  private readonly maxCounters: number;
  private readonly fullSweepIntervalMs: number;
  private readonly now: () => number;
  private readonly onRefused: (() => void) | undefined;
  private lastFullSweepAt = Number.NEGATIVE_INFINITY;
  private refusals = 0;

  constructor(options: CounterTableOptions = {}) {
    this.maxCounters = options.maxCounters ?? 100_000;
    if (!Number.isInteger(this.maxCounters) || this.maxCounters < 1) {
      throw new RangeError("maxCounters must be a whole number above 0");
    }
    this.fullSweepIntervalMs = options.fullSweepIntervalMs ?? 1000;
    this.now = options.now ?? Date.now;
    this.onRefused = options.onRefused;
  }

  /** Adds one and returns the new count; a new key starts at 1 and expires `ttlMs` later. */
  increment(key: string, ttlMs: number): number {
    const now = this.now();
    this.sweepOldest(now);
    const current = this.counters.get(key);
    if (current && current.expiresAt > now) {
      current.count += 1;
      return current.count;
    }
    // Deleted first so that a renewed key moves to the end of the insertion order.
    if (current) this.counters.delete(key);
    if (this.counters.size >= this.maxCounters && !this.makeRoom(now)) {
      this.refusals += 1;
      this.onRefused?.();
      return REFUSED_COUNT;
    }
    this.counters.set(key, { count: 1, expiresAt: now + ttlMs });
    return 1;
  }

  delete(key: string): void {
    this.counters.delete(key);
  }

  clear(): void {
    this.counters.clear();
  }

  /** Counters alive or not yet swept, the bound, and how many new keys were refused so far. */
  stats(): { counters: number; maxCounters: number; refused: number } {
    return { counters: this.counters.size, maxCounters: this.maxCounters, refused: this.refusals };
  }

  private sweepOldest(now: number): void {
    let checked = 0;
    for (const [key, counter] of this.counters) {
      if (checked++ >= SWEPT_PER_INCREMENT || counter.expiresAt > now) return;
      this.counters.delete(key);
    }
  }

  private makeRoom(now: number): boolean {
    if (now - this.lastFullSweepAt >= this.fullSweepIntervalMs) {
      this.lastFullSweepAt = now;
      for (const [key, counter] of this.counters) {
        if (counter.expiresAt <= now) this.counters.delete(key);
      }
    }
    return this.counters.size < this.maxCounters;
  }
}
