/**
 * Vector index port over a search engine (Elasticsearch, OpenSearch): what the two adapters
 * share, on top of an EngineDialect that speaks one engine through its official client.
 *
 * Honesty of the stamp. The engine keeps every write durably at once, so the stamp (the
 * mapping's `_meta.verso`) is cleared before the first write after a commit and set again by
 * the next commit: an index whose writes were interrupted (a crash between a database commit and
 * the index commit, a failed bulk) reads as unstamped, and start-up rebuilds it, instead of
 * claiming a catalog version whose data it does not hold.
 *
 * Visibility. Writes become searchable at the engine's next refresh; so that a search or a count
 * after an upsert sees it (as the embedded indexes do), the first read after writes asks for a
 * refresh, and commit always does. A process that only reads never refreshes.
 *
 * Retries. A 429 (the engine's queues are full) is retried with exponential backoff, for a whole
 * request and for the items of a bulk request the engine rejected; other failures are reported
 * as VectorEngineError at once, bulk item failures with the passages concerned.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { isRestrictive } from "../../core/catalog/song-filter.js";
import type {
  EmbeddingModel,
  IndexStamp,
  VectorEntry,
  VectorHit,
  VectorIndex,
  VectorSearchOptions,
} from "../../core/ports.js";
import {
  assertId,
  assertSongFilter,
  assertVector,
  clampScore,
  prepareEntries,
  wantedHits,
} from "./common.js";
import { filterQuery, metaFor, passageDocument, readMeta, type IndexMeta } from "./engine-documents.js";
import {
  responseStatus,
  toEngineError,
  VectorEngineError,
  type BulkFailure,
  type EngineName,
} from "./engine-error.js";

export type BulkOperation =
  { kind: "index"; id: string; document: Record<string, unknown> } | { kind: "delete"; id: string };

/** One item of a bulk response, in the order of the request. */
export interface BulkItem {
  status: number;
  error?: { type: string; reason: string };
}

export interface EngineHit {
  id: string;
  score: number;
  songId: string | null;
}

/** One engine's requests for one index. Errors are the client's own; RemoteVectorIndex wraps them. */
export interface EngineDialect {
  readonly engine: EngineName;
  readonly index: string;
  /** Most hits one kNN request may ask for (the engines cap k and their candidate lists). */
  readonly maxHits: number;
  /** The mapping's `_meta`, or exists: false when there is no such index. */
  readMapping(): Promise<{ exists: false } | { exists: true; meta: unknown }>;
  createIndex(model: EmbeddingModel, meta: object): Promise<void>;
  /** Deletes the index; an absent index is not an error. */
  deleteIndex(): Promise<void>;
  writeMeta(meta: object): Promise<void>;
  bulk(operations: readonly BulkOperation[]): Promise<BulkItem[]>;
  refresh(): Promise<void>;
  /** Documents in the index; 0 when there is no index. */
  count(): Promise<number>;
  /** The k nearest documents (matching the filter query), nearest first; [] when there is no index. */
  knn(vector: readonly number[], k: number, filter: object | null): Promise<EngineHit[]>;
  /** The engine's `_score` for the similarity it was set up with, back to cosine similarity. */
  cosineOf(score: number): number;
  close(): Promise<void>;
}

export interface RemoteIndexOptions {
  /** Passages per bulk request; default 500. */
  bulkSize?: number;
  /** Retries of a request the engine answered with 429; default 5. */
  maxRetries?: number;
  /** First backoff after a 429, doubled each retry; default 200 ms. */
  retryDelayMs?: number;
}

export async function openRemoteIndex(
  dialect: EngineDialect,
  options: RemoteIndexOptions = {},
): Promise<VectorIndex> {
  const index = new RemoteVectorIndex(dialect, options);
  await index.open();
  return index;
}

class RemoteVectorIndex implements VectorIndex {
  readonly #dialect: EngineDialect;
  readonly #bulkSize: number;
  readonly #maxRetries: number;
  readonly #retryDelayMs: number;
  #model: EmbeddingModel | null = null;
  /** Whether the server's stamp is known to be cleared (no catalog version claimed). */
  #stampCleared = true;
  #clearing: Promise<void> | null = null;
  #unrefreshedWrites = false;
  #closed = false;

  constructor(dialect: EngineDialect, options: RemoteIndexOptions) {
    this.#dialect = dialect;
    this.#bulkSize = options.bulkSize ?? 500;
    this.#maxRetries = options.maxRetries ?? 5;
    this.#retryDelayMs = options.retryDelayMs ?? 200;
    if (!Number.isInteger(this.#bulkSize) || this.#bulkSize <= 0)
      throw new RangeError("bulkSize must be a positive integer");
  }

  async open(): Promise<void> {
    const meta = await this.#readMeta();
    if (meta !== null) {
      this.#model = { name: meta.model, dimension: meta.dimension };
      this.#stampCleared = meta.catalogVersion === null;
    }
  }

  async stamp(): Promise<IndexStamp | null> {
    this.#assertOpen();
    const meta = await this.#readMeta();
    if (meta === null || meta.catalogVersion === null) return null;
    return { model: meta.model, dimension: meta.dimension, catalogVersion: meta.catalogVersion };
  }

  async reset(model: EmbeddingModel): Promise<void> {
    this.#assertOpen();
    if (!Number.isInteger(model.dimension) || model.dimension <= 0) {
      throw new RangeError(`model ${model.name} has an invalid dimension ${model.dimension}`);
    }
    const mapping = await this.#call("read the index mapping", () => this.#dialect.readMapping());
    if (mapping.exists && !isVersoMeta(mapping.meta)) {
      throw new VectorEngineError(
        `${this.#dialect.engine} index "${this.#dialect.index}" exists and was not made by Verso (its mapping ` +
          "has no _meta.verso): refusing to delete it; delete it yourself or name another index",
        { engine: this.#dialect.engine, unavailable: false },
      );
    }
    this.#model = null;
    await this.#call("delete the index", () => this.#dialect.deleteIndex());
    await this.#call("create the index", () => this.#dialect.createIndex(model, metaFor(model, null)));
    this.#model = { name: model.name, dimension: model.dimension };
    this.#stampCleared = true;
    this.#unrefreshedWrites = false;
  }

  async upsert(entries: readonly VectorEntry[]): Promise<void> {
    this.#assertOpen();
    if (entries.length === 0) return;
    const model = this.#requireModel("upsert");
    const operations: BulkOperation[] = prepareEntries(entries, model.dimension).map((entry) => ({
      kind: "index",
      id: String(entry.id),
      document: passageDocument(unitVector(entry.vector, `vector ${entry.id}`), entry.song),
    }));
    await this.#beforeWrite(model);
    for (let start = 0; start < operations.length; start += this.#bulkSize) {
      await this.#bulk(operations.slice(start, start + this.#bulkSize));
    }
  }

  async remove(ids: readonly number[]): Promise<void> {
    this.#assertOpen();
    for (const id of ids) assertId(id);
    const model = this.#model;
    if (ids.length === 0 || model === null) return;
    await this.#beforeWrite(model);
    const operations: BulkOperation[] = [...new Set(ids)].map((id) => ({ kind: "delete", id: String(id) }));
    for (let start = 0; start < operations.length; start += this.#bulkSize) {
      await this.#bulk(operations.slice(start, start + this.#bulkSize));
    }
  }

  async search(vector: Float32Array, k: number, options: VectorSearchOptions = {}): Promise<VectorHit[]> {
    this.#assertOpen();
    const wanted = wantedHits(k, this.#dialect.maxHits);
    const filter = options.filter;
    assertSongFilter(filter);
    const model = this.#model;
    if (model === null) return [];
    assertVector(vector, model.dimension, "query");
    if (wanted === 0) return [];
    const query = unitVector(vector, "query");
    await this.#refreshIfWritten();
    const hits = await this.#call("search", () =>
      this.#dialect.knn(query, wanted, isRestrictive(filter) ? filterQuery(filter) : null),
    );
    return hits.map((hit) => {
      const id = Number(hit.id);
      if (!Number.isSafeInteger(id) || id < 0 || hit.songId === null) {
        throw new VectorEngineError(
          `${this.#dialect.engine} index "${this.#dialect.index}" returned a document that is not a passage (${hit.id})`,
          { engine: this.#dialect.engine, unavailable: false },
        );
      }
      return { id, songId: hit.songId, score: clampScore(this.#dialect.cosineOf(hit.score)) };
    });
  }

  async size(): Promise<number> {
    this.#assertOpen();
    await this.#refreshIfWritten();
    return this.#call("count passages", () => this.#dialect.count());
  }

  async commit(catalogVersion: number): Promise<void> {
    this.#assertOpen();
    if (!Number.isSafeInteger(catalogVersion)) {
      throw new RangeError(`catalog version must be a safe integer, got ${catalogVersion}`);
    }
    const model = this.#requireModel("commit");
    await this.#clearing;
    // Refreshed first: once the stamp says this version, searches anywhere see its writes.
    this.#unrefreshedWrites = false;
    await this.#call("refresh the index", () => this.#dialect.refresh());
    await this.#call("record the stamp", () => this.#dialect.writeMeta(metaFor(model, catalogVersion)));
    this.#stampCleared = false;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#dialect.close();
  }

  // ── helpers ───────────────────────────────────────────────────────────────────────────────

  async #readMeta(): Promise<IndexMeta | null> {
    const mapping = await this.#call("read the index mapping", () => this.#dialect.readMapping());
    return mapping.exists ? readMeta(mapping.meta) : null;
  }

  /** Clears the stamp once before the first write after a commit (concurrent writers share it). */
  async #beforeWrite(model: EmbeddingModel): Promise<void> {
    if (this.#stampCleared) return this.#clearing ?? undefined;
    this.#clearing ??= this.#call("clear the stamp before writing", () =>
      this.#dialect.writeMeta(metaFor(model, null)),
    ).then(
      () => {
        this.#stampCleared = true;
        this.#clearing = null;
      },
      (error: unknown) => {
        this.#clearing = null;
        throw error;
      },
    );
    return this.#clearing;
  }

  /** A write that lands while this refresh is under way sets the flag again, for the next read. */
  async #refreshIfWritten(): Promise<void> {
    if (!this.#unrefreshedWrites) return;
    this.#unrefreshedWrites = false;
    await this.#call("refresh the index", () => this.#dialect.refresh());
  }

  async #bulk(operations: readonly BulkOperation[]): Promise<void> {
    let pending = operations;
    for (let attempt = 0; ; attempt++) {
      const batch = pending;
      const items = await this.#call("write passages", () => this.#dialect.bulk(batch));
      // Set once the engine has the writes, so that a refresh that started earlier cannot clear it.
      this.#unrefreshedWrites = true;
      if (items.length !== batch.length) {
        throw new VectorEngineError(
          `${this.#dialect.engine} answered a bulk request of ${batch.length} with ${items.length} items`,
          { engine: this.#dialect.engine, unavailable: false },
        );
      }
      const rejected: BulkOperation[] = [];
      const failures: BulkFailure[] = [];
      items.forEach((item, i) => {
        const operation = batch[i]!;
        // Deleting a passage the index does not hold is what remove() promises to ignore.
        if (item.status < 300 || (operation.kind === "delete" && item.status === 404 && !item.error)) return;
        if (item.status === 429) rejected.push(operation);
        else failures.push(bulkFailure(operation, item));
      });
      if (failures.length > 0) throw this.#bulkError(failures, batch.length, false);
      if (rejected.length === 0) return;
      if (attempt >= this.#maxRetries) {
        throw this.#bulkError(
          rejected.map((operation) => bulkFailure(operation, { status: 429 })),
          batch.length,
          true,
        );
      }
      await sleep(this.#retryDelayMs * 2 ** attempt);
      pending = rejected;
    }
  }

  #bulkError(failures: BulkFailure[], of: number, unavailable: boolean): VectorEngineError {
    const first = failures[0]!;
    return new VectorEngineError(
      `${this.#dialect.engine} did not write ${failures.length} of ${of} passages; passage ${first.id}: ` +
        `${first.status} ${first.type}: ${first.reason}`,
      { engine: this.#dialect.engine, status: first.status, type: first.type, failures, unavailable },
    );
  }

  /** Runs one request, retrying while the engine answers 429; wraps what it throws. */
  async #call<T>(action: string, request: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request();
      } catch (error) {
        if (responseStatus(error) !== 429 || attempt >= this.#maxRetries) {
          throw toEngineError(this.#dialect.engine, action, error);
        }
      }
      await sleep(this.#retryDelayMs * 2 ** attempt);
    }
  }

  #requireModel(operation: string): EmbeddingModel {
    if (this.#model === null) throw new Error(`${operation} before reset: the index does not know its model`);
    return this.#model;
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error("vector index is closed");
  }
}

function isVersoMeta(meta: unknown): boolean {
  const verso = (meta as { verso?: unknown } | null | undefined)?.verso;
  return typeof verso === "object" && verso !== null;
}

function bulkFailure(operation: BulkOperation, item: BulkItem): BulkFailure {
  return {
    id: operation.id,
    status: item.status,
    type: item.error?.type ?? (item.status === 429 ? "es_rejected_execution_exception" : "unknown"),
    reason: item.error?.reason ?? (item.status === 429 ? "rejected: too many requests" : "no reason given"),
  };
}

/**
 * Unit length, as the engines' dot product and cosine need (and a zero vector, which has no
 * direction, is refused by both). Eight significant digits keep float32 precision and make the
 * JSON of a 512-d vector about half as long as the shortest double representation.
 */
function unitVector(vector: Float32Array, what: string): number[] {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i]! * vector[i]!;
  if (!(norm > 0)) throw new RangeError(`${what} is a zero vector, which has no direction`);
  const scale = 1 / Math.sqrt(norm);
  return Array.from(vector, (value) => Number((value * scale).toPrecision(8)));
}
