/**
 * Vector index port, embedded, off the event loop: the usearch index (usearch.ts) in a thread
 * of its own (usearch.worker.ts). Every usearch call is synchronous native work: an insert at a
 * million passages takes milliseconds, a removal relinks neighbours, a filtered search may walk
 * thousands of nodes and a snapshot writes gigabytes. On the thread that answers requests,
 * each held every request of the process (/healthz waited up to 2 s on a save at 300,000
 * passages). Here they hold only this thread; the answers being made are seen through shared
 * memory, so upserts and removals still end their turn while one is made.
 *
 * Calls go to the thread in order and come back by id; errors keep their name, message and code.
 */
import type { Worker } from "node:worker_threads";
import type {
  EmbeddingModel,
  IndexStamp,
  VectorEntry,
  VectorHit,
  VectorSearchOptions,
} from "../../core/ports.js";
import { startThread } from "../thread-entry.js";
import { errorFromThread } from "../thread-errors.js";
import type { UsearchVectorIndex } from "./usearch.js";
import type { UsearchIndexOptions } from "./usearch-options.js";
import type { UsearchCall, UsearchReply, UsearchThreadData } from "./usearch-protocol.js";

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/** Opens the index (loading its snapshot) in a new thread; resolves once it is open. */
export async function createUsearchThreadIndex(options: UsearchIndexOptions): Promise<UsearchVectorIndex> {
  const { background, warn, ...rest } = options;
  const index = new UsearchThreadIndex(
    { options: rest, foreground: background?.shared ?? null },
    warn ?? ((message) => console.warn(`[vector index] ${message}`)),
  );
  await index.opened;
  return index;
}

class UsearchThreadIndex implements UsearchVectorIndex {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #failure: Error | null = null;
  #closed = false;
  readonly opened: Promise<unknown>;

  constructor(data: UsearchThreadData, warn: (message: string) => void) {
    this.#worker = startThread(import.meta.url, "usearch.worker", data);
    this.opened = new Promise((resolve, reject) => this.#pending.set(0, { resolve, reject }));
    this.#worker.on("message", (reply: UsearchReply) => {
      if ("warning" in reply) return warn(reply.warning);
      const pending = this.#pending.get(reply.id);
      if (!pending) return;
      this.#pending.delete(reply.id);
      // Idle, the thread does not keep the process alive: a finished command exits.
      if (this.#pending.size === 0 && !this.#closed) this.#worker.unref();
      if ("error" in reply) pending.reject(errorFromThread(reply.error));
      else pending.resolve(reply.value);
    });
    const fail = (error: Error) => {
      this.#failure ??= error;
      for (const { reject } of this.#pending.values()) reject(error);
      this.#pending.clear();
    };
    this.#worker.on("error", fail);
    this.#worker.on("exit", (code) => fail(new Error(`the vector index thread exited (code ${code})`)));
  }

  stamp(): Promise<IndexStamp | null> {
    return this.#call({ method: "stamp" }) as Promise<IndexStamp | null>;
  }

  async reset(model: EmbeddingModel): Promise<void> {
    await this.#call({ method: "reset", model: { name: model.name, dimension: model.dimension } });
  }

  async upsert(entries: readonly VectorEntry[]): Promise<void> {
    await this.#call({ method: "upsert", entries });
  }

  async remove(ids: readonly number[]): Promise<void> {
    await this.#call({ method: "remove", ids });
  }

  search(vector: Float32Array, k: number, options?: VectorSearchOptions): Promise<VectorHit[]> {
    return this.#call({ method: "search", vector, k, options }) as Promise<VectorHit[]>;
  }

  size(): Promise<number> {
    return this.#call({ method: "size" }) as Promise<number>;
  }

  async commit(catalogVersion: number): Promise<void> {
    await this.#call({ method: "commit", catalogVersion });
  }

  async flush(): Promise<void> {
    await this.#call({ method: "flush" });
  }

  async close(): Promise<void> {
    if (this.#closed || this.#failure) return;
    this.#closed = true;
    // Held open until the thread is gone (after its last save), so that what follows a close
    // finds the snapshot on disk.
    this.#worker.ref();
    const exited = new Promise((resolve) => this.#worker.once("exit", resolve));
    await this.#send({ method: "close" });
    await exited;
  }

  #call(call: UsearchCall): Promise<unknown> {
    if (this.#closed) return Promise.reject(new Error("vector index is closed"));
    return this.#send(call);
  }

  #send(call: UsearchCall): Promise<unknown> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve, reject });
      try {
        this.#worker.postMessage({ id, ...call });
      } catch (error) {
        // What cannot be cloned (a function in an entry, say) never reaches the thread.
        this.#pending.delete(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }
}
