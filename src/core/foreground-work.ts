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
}

export class ForegroundWork implements BackgroundTurns {
  #inFlight = 0;
  #waiting: (() => void)[] = [];

  constructor(private readonly maxWaitMs = 100) {}

  get busy(): boolean {
    return this.#inFlight > 0;
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
    this.#inFlight += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.#inFlight -= 1;
      if (this.#inFlight === 0) for (const wake of this.#waiting.splice(0)) wake();
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

/** For work that runs where nothing is answered (a worker role, a command): never waits. */
export const noForeground: BackgroundTurns = { busy: false, turn: () => nextTurnOfTheLoop() };
