/**
 * The worker-thread side of the embedder pool: loads one model, then embeds the batches the
 * pool sends, one at a time. Model-specific workers (use-lite.worker.ts, stub.worker.ts) only
 * say how to load their model.
 */
import { readFileSync, readlinkSync } from "node:fs";
import os from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import type { EmbedMessage, ModelWorkerData, WorkerReply } from "./protocol.js";

/** Embeds a batch of texts; one row of numbers per text, in order. Need not be normalized. */
export type ModelCall = (texts: string[]) => Promise<ArrayLike<number>[]>;

export function serveModel(load: (data: ModelWorkerData) => Promise<ModelCall>): void {
  const port = parentPort;
  if (!port) throw new Error("a model worker must run in a worker thread");
  const data = workerData as ModelWorkerData;
  const reply = (message: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

  forbidNetwork();
  if (data.nice > 0) lowerThreadPriority(data.nice);

  void (async () => {
    const started = performance.now();
    let model: ModelCall;
    try {
      model = await load(data);
      // The first call on a fresh model costs ~0.4 s of one-off set-up: pay it here, not in
      // the first person's prompt.
      await model(["warm up"]);
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      reply({ type: "failed", message: e.message, ...(e.stack ? { stack: e.stack } : {}) });
      return;
    }
    // One batch at a time: the model is single-threaded WASM, and the pool never sends a
    // second batch before the first is answered anyway.
    let queue = Promise.resolve();
    port.on("message", (message: EmbedMessage) => {
      queue = queue.then(() => run(model, data, message, reply));
    });
    reply({ type: "ready", modelMs: performance.now() - started });
  })();
}

async function run(
  model: ModelCall,
  data: ModelWorkerData,
  message: EmbedMessage,
  reply: (message: WorkerReply, transfer?: ArrayBuffer[]) => void,
) {
  const started = performance.now();
  const cpuBefore = threadCpuMs();
  try {
    const vectors = await embedSorted(model, message.texts, data.dimension, data.subBatch);
    const cpuAfter = threadCpuMs();
    const done: WorkerReply = {
      type: "done",
      id: message.id,
      vectors,
      computeMs: performance.now() - started,
    };
    if (cpuBefore !== undefined && cpuAfter !== undefined) done.cpuMs = cpuAfter - cpuBefore;
    reply(done, [vectors.buffer as ArrayBuffer]);
  } catch (error) {
    reply({ type: "error", id: message.id, message: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * The model pads every text of a call to the longest one, and its attention grows with the
 * square of that length, so texts of similar length are embedded together: sort by length,
 * cut into sub-batches, and write each vector back at its text's place. (On the 2k lyrics,
 * whose passages are of similar length, the gain is within noise; sub-batches of 16 beat
 * one call of 64 by ~10% per CPU-second.)
 */
export async function embedSorted(
  model: ModelCall,
  texts: readonly string[],
  dimension: number,
  subBatch: number,
): Promise<Float32Array> {
  const out = new Float32Array(texts.length * dimension);
  const order = texts.map((_, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length);
  for (let start = 0; start < order.length; start += subBatch) {
    const slice = order.slice(start, start + subBatch);
    const rows = await model(slice.map((i) => texts[i]!));
    // The model silently drops trailing texts that have no tokens, so a short answer would
    // shift every vector after it onto the wrong text.
    if (rows.length !== slice.length) {
      throw new Error(`the model returned ${rows.length} vectors for ${slice.length} texts`);
    }
    slice.forEach((textIndex, k) => writeNormalized(rows[k]!, out, textIndex * dimension, dimension));
  }
  return out;
}

function writeNormalized(row: ArrayLike<number>, out: Float32Array, offset: number, dimension: number) {
  if (row.length !== dimension)
    throw new Error(`the model returned a vector of ${row.length}, not ${dimension}`);
  let sum = 0;
  for (let i = 0; i < dimension; i++) sum += row[i]! * row[i]!;
  const norm = Math.sqrt(sum);
  if (!(norm > 0) || !Number.isFinite(norm))
    throw new Error("the model returned a zero or non-finite vector");
  for (let i = 0; i < dimension; i++) out[offset + i] = row[i]! / norm;
}

/**
 * Weights are read from disk; nothing here may reach the network. TF.js falls back to fetch()
 * for URLs it has no file handler for, so a wrong path fails loudly instead of downloading.
 */
function forbidNetwork() {
  globalThis.fetch = (input: unknown) =>
    Promise.reject(new Error(`the embedder works offline; refused to fetch ${String(input)}`));
}

/**
 * CPU time of this thread, where Linux tells it: on a shared machine, wall time alone cannot
 * say whether the model got slower or just got less of a core.
 */
function threadCpuMs(): number | undefined {
  if (process.platform !== "linux") return undefined;
  try {
    const stat = readFileSync("/proc/thread-self/stat", "utf8");
    // Fields after the parenthesised name: state is the 1st, utime the 12th, stime the 13th,
    // in clock ticks of 1/100 s (fixed for /proc).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/**
 * Bulk workers step back so that the interactive worker, and the main thread serving HTTP,
 * get a core first when every core is busy. Linux applies a nice value to a single thread
 * when given its thread id; elsewhere this is skipped.
 */
function lowerThreadPriority(nice: number) {
  if (process.platform !== "linux") return;
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, nice);
  } catch {
    // A priority we cannot set costs latency under load, never correctness.
  }
}
