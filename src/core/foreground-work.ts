/**
 * Answers someone is waiting for go before work nobody waits for. On a small machine an
 * ingest (CSV parsing, SQL writes, index inserts) and an ask share two cores and one event
 * loop; left alone, every step of the ask waits behind the ingest's. So the process counts the
 * answers being made, and background work ends its turn at each step with `turn()`: while an
 * answer is being made it waits until none is, but never longer than `maxWaitMs` a step, so a
 * steady stream of asks slows an ingest down without stopping it.
 */
import { setImmediate as nextTurnOfTheLoop } from "node:timers/promises";

/** What background work sees: whether an answer is being made, and where its turn ends. */
export interface BackgroundTurns {
  readonly busy: boolean;
  /** Yields to the event loop, then waits while an answer is being made (bounded). */
  turn(): Promise<void>;
  /**
   * The answers being made, counted in shared memory, so that background work in another
   * thread can see them (SharedForegroundTurns); absent where nothing is answered.
   */
  readonly shared?: SharedForeground;
}

/** What a thread needs to see another's answers: their count in shared memory, and the bound. */
export interface SharedForeground {
  /** One 32-bit cell: the answers in flight; notified when it falls to zero. */
  counter: Int32Array;
  maxWaitMs: number;
}

export class ForegroundWork implements BackgroundTurns {
  /** The count lives in shared memory, so that a thread of background work can read it. */
  readonly #inFlight = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  #waiting: (() => void)[] = [];

  constructor(private readonly maxWaitMs = 100) {}

  get busy(): boolean {
    return Atomics.load(this.#inFlight, 0) > 0;
  }

  get shared(): SharedForeground {
    return { counter: this.#inFlight, maxWaitMs: this.maxWaitMs };
  }

  /** Runs an answer as foreground work: background work waits while it runs. */
  async during<T>(answer: () => Promise<T>): Promise<T> {
    const end = this.begin();
    try {
      return await answer();
    } finally {
      end();
    }
  }

  /** Foreground work begins (a request arrives); the function returned ends it, once. */
  begin(): () => void {
    Atomics.add(this.#inFlight, 0, 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (Atomics.sub(this.#inFlight, 0, 1) === 1) {
        Atomics.notify(this.#inFlight, 0);
        for (const wake of this.#waiting.splice(0)) wake();
      }
    };
  }

  async turn(): Promise<void> {
    await nextTurnOfTheLoop();
    if (!this.busy) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.maxWaitMs);
      const waiting = this.#waiting;
      function done() {
        clearTimeout(timer);
        const at = waiting.indexOf(done);
        if (at >= 0) waiting.splice(at, 1);
        resolve();
      }
      waiting.push(done);
    });
  }
}

/**
 * Background work in another thread than the answers' (the live index's): it sees their count
 * in shared memory and waits on it, bounded as ForegroundWork's turns are.
 */
export class SharedForegroundTurns implements BackgroundTurns {
  constructor(private readonly foreign: SharedForeground) {}

  get busy(): boolean {
    return Atomics.load(this.foreign.counter, 0) > 0;
  }

  async turn(): Promise<void> {
    await nextTurnOfTheLoop();
    const { counter, maxWaitMs } = this.foreign;
    const until = performance.now() + maxWaitMs;
    // The answering thread notifies when the count falls to zero; a wait on a count that has
    // changed meanwhile ends at once, so look again until none is left or the bound is reached.
    for (let left = maxWaitMs; left > 0; left = until - performance.now()) {
      const count = Atomics.load(counter, 0);
      if (count <= 0) return;
      const waited = Atomics.waitAsync(counter, 0, count, left);
      if (waited.async) await waited.value;
    }
  }
}

/** For work that runs where nothing is answered (a worker role, a command): never waits. */
export const noForeground: BackgroundTurns = { busy: false, turn: () => nextTurnOfTheLoop() };
