/**
 * One run over one catalog object: the CSV streamed from where the last commit ended (or from
 * its start), its rows gathered into batches, each batch embedded and committed in order. The
 * run stops at the end of the object, at the first commit after its slice is over, as soon as
 * the worker is asked to stop (committing only what is already embedded), or as soon as a
 * commit finds the lease lost.
 */
import type { Readable } from "node:stream";
import type { BackgroundTurns } from "../../foreground-work.js";
import { readsSongs, type Bucket, type Embedder } from "../../ports.js";
import {
  defaultCsvLimits,
  readCatalogCsv,
  readCsvHeader,
  type CsvLimits,
  type CsvReadOptions,
  type CsvRowEvent,
} from "../csv.js";
import type { IndexWriter } from "../index-writer.js";
import { defaultChunking, type ChunkOptions } from "../lyrics.js";
import type { CatalogObject, IngestJob, IngestRunStore, Lease } from "../store.js";
import { CommitPipeline } from "./commit-pipeline.js";
import type { PassageTexts } from "./passage-texts.js";
import type { IngestObserver } from "./observer.js";
import { RowBatcher } from "./row-batches.js";

export interface IngestRunnerDeps {
  store: Pick<IngestRunStore, "modelId" | "commitBatch" | "storedVectors">;
  embedder: Embedder;
  /** What is embedded for each passage (see passage-texts.ts); default: its own text. */
  passageTexts?: Pick<PassageTexts, "of">;
  indexWriter: IndexWriter;
  /** Where each batch's turn ends, so that answers being made go first (foreground-work.ts). */
  background?: BackgroundTurns;
  /** The bucket a job's source names. */
  bucketFor(source: string): Bucket;
  chunking?: ChunkOptions;
  csvLimits?: CsvLimits;
  /** Passages per embedding request. */
  batchPassages?: number;
  observer?: Pick<IngestObserver, "rows" | "progress" | "embedded">;
}

/** What to run: the job, the object as its lease started it, and when to stop. */
export interface RunOrder {
  job: IngestJob;
  object: CatalogObject;
  lease: Lease;
  /** When (ms since the epoch) the run stops at its next commit, to go on in a new job. */
  sliceEndsAt: number;
  /**
   * Aborted when the worker is stopping: the run commits the batches already embedded and
   * stops, without waiting for the model.
   */
  stop?: AbortSignal;
}

export type RunEnd = "complete" | "sliced" | "lease-lost";

export class IngestRunner {
  constructor(private readonly deps: IngestRunnerDeps) {}

  async run(order: RunOrder): Promise<RunEnd> {
    const { deps } = this;
    const pipeline = new CommitPipeline(deps, {
      object: order.object,
      lease: order.lease,
      modelId: await deps.store.modelId(deps.embedder.model),
      stop: order.stop,
    });
    const batcher = new RowBatcher({
      chunking: deps.chunking ?? defaultChunking,
      batchPassages: deps.batchPassages ?? 64,
    });
    const { events, close } = await this.open(order);
    try {
      for await (const event of events) {
        const full = batcher.add(event);
        if (!full) continue;
        if (!(await pipeline.push(full))) return "lease-lost";
        if (Date.now() >= order.sliceEndsAt || order.stop?.aborted) {
          return (await pipeline.drain()) ? "sliced" : "lease-lost";
        }
      }
      const rest = batcher.rest();
      if (rest && !(await pipeline.push(rest))) return "lease-lost";
      if (!(await pipeline.drain())) return "lease-lost";
      return pipeline.stoppedEarly ? "sliced" : "complete";
    } finally {
      close();
      await pipeline.settle();
    }
  }

  /**
   * The object's rows from where the run resumes: read by a source of songs itself, or as CSV
   * after the last commit's byte, with the header read first from the start; both pinned to
   * the etag the job was queued with.
   */
  private async open(order: RunOrder): Promise<{ events: AsyncIterable<CsvRowEvent>; close(): void }> {
    const { job, object } = order;
    const bucket = this.deps.bucketFor(job.source);
    const limits = this.deps.csvLimits ?? defaultCsvLimits;
    if (readsSongs(bucket)) {
      const { maxLyricsChars } = limits;
      const read = { etag: job.etag, fromRow: object.rowsDone, size: object.size, maxLyricsChars };
      return { events: bucket.readSongs(job.key, read), close() {} };
    }
    const read = (stream: Readable, options: CsvReadOptions) => ({
      events: readCatalogCsv(stream, options),
      close: () => stream.destroy(),
    });
    if (object.rowsDone === 0 || object.bytesDone === 0) {
      return read(await bucket.open(job.key, { etag: job.etag, start: 0 }), { limits });
    }
    const header = await readCsvHeader(await bucket.open(job.key, { etag: job.etag }), limits);
    const stream = await bucket.open(job.key, { etag: job.etag, start: object.bytesDone });
    const position = { row: object.rowsDone, line: object.linesDone, byte: object.bytesDone };
    return read(stream, { limits, resume: { header, position } });
  }
}
