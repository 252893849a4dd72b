/**
 * The waiting work of an embedder, in two lanes, for the worker pool and the remote embedder
 * alike. Calls are cut into chunks of at most `maxBatch` texts and queued in their lane; queued
 * chunks are coalesced into batches of up to `maxBatch` texts, so callers sending a few texts at
 * a time still fill the model. Interactive work (a person waiting on a prompt) is always handed
 * out ahead of bulk work (ingest). A call retried after a failed batch travels alone, so one
 * poisonous text fails only its caller.
 */
import type { Lane } from "./protocol.js";
import { splitEvenly } from "./embed-call.js";

/** One caller's chunk of texts, waiting for its vectors. */
export interface LaneCall {
  texts: string[];
  priority: Lane;
  /** Sent alone, never coalesced: set when retrying after a failed batch. */
  solo: boolean;
  resolve: (vectors: Float32Array[]) => void;
  reject: (error: Error) => void;
}

/** Interactive first. */
const lanes = ["interactive", "bulk"] as const;

export class LaneScheduler<C extends LaneCall = LaneCall> {
  readonly #queues: Record<Lane, C[]> = { interactive: [], bulk: [] };

  constructor(private readonly maxBatch: number) {}

  /**
   * Queues the texts in the lane, in chunks of near-equal size; the answer is every text's
   * vector, in order. `extra` is what a call of this scheduler carries beyond a LaneCall.
   */
  submit(texts: readonly string[], priority: Lane, extra: Omit<C, keyof LaneCall>): Promise<Float32Array[]> {
    const pending = splitEvenly(texts, this.maxBatch).map(
      (chunk) =>
        new Promise<Float32Array[]>((resolve, reject) => {
          const call = { ...extra, texts: chunk, priority, solo: false, resolve, reject } as C;
          this.#queues[priority].push(call);
        }),
    );
    return Promise.all(pending).then((vectors) => vectors.flat());
  }

  /**
   * Hands batches out, interactive work first, for as long as `take` names a taker for the
   * lane (undefined: nobody can take one of that lane now); `send` gives the batch to it.
   */
  dispatch<W>(take: (lane: Lane) => W | undefined, send: (taker: W, batch: C[], lane: Lane) => void): void {
    for (const lane of lanes) {
      while (this.#queues[lane].length > 0) {
        const taker = take(lane);
        if (taker === undefined) break;
        send(taker, this.#nextBatch(lane), lane);
      }
    }
  }

  /** Puts the calls of a failed batch back at the front of their lanes, each to travel alone. */
  retryAlone(calls: readonly C[]): void {
    for (const lane of lanes) {
      const retried = calls.filter((call) => call.priority === lane).map((call) => ({ ...call, solo: true }));
      this.#queues[lane].unshift(...retried);
    }
  }

  /** Texts waiting, by lane. */
  queued(): Record<Lane, number> {
    const texts = (lane: Lane) => this.#queues[lane].reduce((sum, call) => sum + call.texts.length, 0);
    return { interactive: texts("interactive"), bulk: texts("bulk") };
  }

  /** Takes every waiting call out, interactive first: the caller settles them. */
  drain(): C[] {
    return lanes.flatMap((lane) => this.#queues[lane].splice(0));
  }

  #nextBatch(lane: Lane): C[] {
    const queue = this.#queues[lane];
    const first = queue.shift()!;
    const batch = [first];
    let count = first.texts.length;
    while (!first.solo && queue[0] && !queue[0].solo && count + queue[0].texts.length <= this.maxBatch) {
      const next = queue.shift()!;
      batch.push(next);
      count += next.texts.length;
    }
    return batch;
  }
}

/** How many texts the calls hold together. */
export const textsIn = (calls: readonly LaneCall[] | undefined) =>
  calls?.reduce((sum, call) => sum + call.texts.length, 0) ?? 0;
