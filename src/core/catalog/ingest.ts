/**
 * The worker's use case: one job = one run of one catalog object. The worker takes the object's
 * lease (only one worker holds an object at a time, and every commit proves it still does),
 * streams the CSV, turns rows into songs and lyrics into passages, embeds them with every
 * embedder worker busy, and commits consecutive rows in order, each commit recording where a
 * restarted worker resumes (row, line and byte). Songs are upserted and their passages
 * replaced inside the commit, so a redelivered job changes nothing twice; the job is
 * acknowledged only after the last commit.
 *
 * Failures: a file that cannot be read fails at once with its reason; a passing failure (the
 * embedder, the database, the bucket away) is retried with the queue's growing backoff for as
 * long as `retryTransientForMs` allows, counted from its first occurrence; other errors are
 * retried `maxAttempts` times. A run longer than `sliceMs` stops at a commit, gives its lease
 * up and queues its continuation, so no broker's delivery timeout is ever reached.
 */
import { randomUUID } from "node:crypto";
import type { Bucket, Embedder, QueueMessage } from "../ports.js";
import { meanVector } from "../vectors.js";
import { defaultCsvLimits, readCatalogCsv, readCsvHeader, type CsvLimits } from "./csv.js";
import { describeError, failureKind } from "./failures.js";
import type { IndexWriter } from "./index-writer.js";
import { guessLanguage } from "./language.js";
import { defaultChunking, judgeLyrics, toPassages, type ChunkOptions } from "./lyrics.js";
import type { CatalogObject, IngestBatch, IngestJob, IngestedSong, IngestRunStore, Lease } from "./store.js";

export interface IngestProgress {
  objectId: number;
  key: string;
  rowsDone: number;
  bytesDone: number;
  size: number;
  songs: number;
  passages: number;
  skipped: number;
  errors: number;
}

export type IngestOutcome = "done" | "failed" | "retrying" | "sliced" | "superseded" | "busy";

export interface IngestObserver {
  progress?(progress: IngestProgress): void;
  rows?(counts: { songs: number; passages: number; skipped: number; errors: number }): void;
  finished?(object: CatalogObject, outcome: "done" | "failed", durationMs: number): void;
  /** Every delivery's end, including retries and slices. */
  delivery?(outcome: IngestOutcome, error?: string): void;
}

export interface IngestOptions {
  store: IngestRunStore;
  embedder: Embedder;
  /** Where commits go: the vector index of this process, or straight to the database. */
  index: IndexWriter;
  /** The bucket a job's source names. */
  bucketFor(source: string): Bucket;
  /** Puts a job back on the queue (a run that stopped at the end of its slice continues). */
  enqueue(job: IngestJob): Promise<void>;
  chunking?: ChunkOptions;
  csvLimits?: CsvLimits;
  /** Passages per embedding request. */
  batchPassages?: number;
  /** Deliveries after which an object failing for an unknown reason is marked failed. */
  maxAttempts: number;
  /** How long passing failures are retried before the object is marked failed. */
  retryTransientForMs: number;
  /** How long a worker's lease lasts without renewal; renewed every third of it. */
  leaseMs: number;
  /** Longest run of one delivery before it continues in a new job. */
  sliceMs: number;
  observer?: IngestObserver;
  clock?: () => Date;
}

interface PendingBatch {
  songs: { song: IngestedSong["song"]; status: IngestedSong["lyricsStatus"]; passages: string[] }[];
  rowErrors: { line: number; reason: string }[];
  rowsDone: number;
  linesDone: number;
  bytesDone: number;
  passageCount: number;
}

/** The lease was lost (another worker took the object over, or it changed): stop, writing nothing more. */
class LeaseLost extends Error {}
/** The slice is over at a clean point: continue in a new job. */
class SliceOver extends Error {}

export function createIngestWorker(options: IngestOptions) {
  const { store, embedder, index, observer } = options;
  const chunking = options.chunking ?? defaultChunking;
  const limits = options.csvLimits ?? defaultCsvLimits;
  const batchPassages = options.batchPassages ?? 64;
  const clock = options.clock ?? (() => new Date());
  // One batch more than the embedder can work on, so a worker never idles while we commit.
  const inFlightLimit = embedder.parallelism + 1;

  async function processObject(
    job: IngestJob,
    started: CatalogObject,
    lease: Lease,
    sliceEnds: number,
    stop: AbortSignal | undefined,
  ) {
    const modelId = await store.modelId(embedder.model);
    const totals = {
      songs: started.songs,
      passages: started.passages,
      skipped: started.skipped,
      errors: started.errors,
    };
    const inFlight: { batch: PendingBatch; vectors: Promise<Float32Array[]> }[] = [];

    const commitHead = async () => {
      const head = inFlight.shift()!;
      const vectors = await head.vectors;
      let next = 0;
      const songs: IngestedSong[] = head.batch.songs.map(({ song, status, passages }) => {
        const withVectors = passages.map((text) => ({ text, vector: vectors[next++]! }));
        return {
          song,
          lyricsStatus: status,
          passages: withVectors,
          vector: meanVector(withVectors.map((p) => p.vector)),
        };
      });
      const counts = {
        songs: songs.length,
        passages: head.batch.passageCount,
        skipped: songs.filter((s) => s.lyricsStatus !== "ok").length,
        errors: head.batch.rowErrors.length,
      };
      const batch: IngestBatch = {
        lease,
        modelId,
        songs,
        rowErrors: head.batch.rowErrors,
        counts,
        rowsDone: head.batch.rowsDone,
        linesDone: head.batch.linesDone,
        bytesDone: head.batch.bytesDone,
      };
      const committed = await index.apply(() => store.commitBatch(batch));
      if (!committed) throw new LeaseLost();
      totals.songs += counts.songs;
      totals.passages += counts.passages;
      totals.skipped += counts.skipped;
      totals.errors += counts.errors;
      observer?.rows?.(counts);
      observer?.progress?.({
        objectId: job.objectId,
        key: job.key,
        rowsDone: batch.rowsDone,
        bytesDone: batch.bytesDone,
        size: started.size,
        ...totals,
      });
    };

    const dispatch = async (batch: PendingBatch) => {
      const texts = batch.songs.flatMap((s) => s.passages);
      const vectors = texts.length > 0 ? embedder.embed(texts, { priority: "bulk" }) : Promise.resolve([]);
      // Awaited in order by commitHead; until then a rejection must not count as unhandled.
      vectors.catch(() => {});
      inFlight.push({ batch, vectors });
      while (inFlight.length > inFlightLimit) await commitHead();
    };

    const empty = (): PendingBatch => ({
      songs: [],
      rowErrors: [],
      rowsDone: 0,
      linesDone: 0,
      bytesDone: 0,
      passageCount: 0,
    });
    const bucket = options.bucketFor(job.source);
    const resumeAt = started.rowsDone > 0 && started.bytesDone > 0 ? started : null;
    const header = resumeAt
      ? await readCsvHeader(await bucket.open(job.key, { etag: job.etag }), limits)
      : null;
    const stream = await bucket.open(job.key, { etag: job.etag, start: resumeAt?.bytesDone ?? 0 });
    let pending = empty();
    try {
      const rows = readCatalogCsv(stream, {
        limits,
        ...(resumeAt && header
          ? {
              resume: {
                header,
                position: { row: resumeAt.rowsDone, line: resumeAt.linesDone, byte: resumeAt.bytesDone },
              },
            }
          : {}),
      });
      for await (const event of rows) {
        if (event.kind === "error") {
          pending.rowErrors.push({ line: event.line, reason: event.reason });
        } else {
          const lyrics = judgeLyrics(event.song.lyrics);
          const passages = lyrics.status === "ok" ? toPassages(lyrics.text, chunking) : [];
          const song = {
            ...event.song,
            lyrics: lyrics.status === "ok" ? lyrics.text : event.song.lyrics.trim(),
          };
          if (!song.language && lyrics.status === "ok") song.language = guessLanguage(lyrics.text);
          pending.songs.push({ song, status: lyrics.status, passages });
          pending.passageCount += passages.length;
        }
        pending.rowsDone = event.row;
        pending.linesDone = event.lines;
        pending.bytesDone = event.bytes;
        if (pending.passageCount >= batchPassages || pending.songs.length + pending.rowErrors.length >= 256) {
          await dispatch(pending);
          pending = empty();
          if (Date.now() >= sliceEnds || stop?.aborted) {
            while (inFlight.length > 0) await commitHead();
            throw new SliceOver();
          }
        }
      }
      if (pending.rowsDone > 0) await dispatch(pending);
      while (inFlight.length > 0) await commitHead();
    } finally {
      stream.destroy();
      // Let embeddings still in flight settle quietly if we stopped early.
      await Promise.allSettled(inFlight.map((f) => f.vectors));
    }
  }

  /** Renews the lease while the run goes on; `lost` turns true when a renewal is refused. */
  function keepLease(lease: Lease) {
    const state = { lost: false };
    const timer = setInterval(
      () => {
        store
          .renewLease(lease, new Date(clock().getTime() + options.leaseMs))
          .then((renewed) => {
            if (!renewed) state.lost = true;
          })
          // A renewal that failed (the database away a moment) is tried again at the next beat;
          // the lease lasts three beats.
          .catch(() => {});
      },
      Math.max(10, Math.floor(options.leaseMs / 3)),
    );
    timer.unref();
    return { state, stop: () => clearInterval(timer) };
  }

  /**
   * The queue handler: resolves to acknowledge, throws to have the job retried later. When
   * `stop` aborts (the worker is shutting down), the run ends at its next commit, gives the
   * object up and queues its continuation, for another worker to resume at once.
   */
  async function handle(message: QueueMessage<IngestJob>, stop?: AbortSignal): Promise<void> {
    const job = message.payload;
    const now = clock();
    const outcome = await store.startObject(job, embedder.model.name, {
      token: randomUUID(),
      until: new Date(now.getTime() + options.leaseMs),
      now,
    });
    // Stale: done already, or changed since (a newer job carries it).
    if (outcome.status === "stale") {
      observer?.delivery?.("superseded");
      return;
    }
    // Busy: a worker holds the object, or held it until it died a moment ago (its lease not
    // run out yet). The job comes back after a pause: by then the object is done (and the job
    // is dropped as stale), or its lease has lapsed and this worker takes it over.
    if (outcome.status === "busy") {
      observer?.delivery?.("busy");
      throw new Error("another worker holds this object; trying again later");
    }
    const { lease, object: started } = outcome;
    const t0 = Date.now();
    const keeper = keepLease(lease);
    const finish = async (result: { status: "done" } | { status: "failed"; error: string }) => {
      const finished = await index.apply(() => store.finishObject(lease, result, clock()));
      if (!finished) return;
      const object = await store.getObject(job.objectId);
      if (object) observer?.finished?.(object, result.status, Date.now() - t0);
    };
    try {
      await processObject(job, started, lease, t0 + options.sliceMs, stop);
      if (keeper.state.lost) throw new LeaseLost();
      await finish({ status: "done" });
      observer?.delivery?.("done");
    } catch (error) {
      if (error instanceof SliceOver) {
        await store.releaseLease(lease);
        await options.enqueue(job);
        observer?.delivery?.("sliced");
        return;
      }
      if (error instanceof LeaseLost || isSuperseded(error)) {
        // Guarded by the token: a lease already taken over is left alone.
        await store.releaseLease(lease).catch(() => {});
        observer?.delivery?.("superseded");
        return;
      }
      const reason = describeError(error);
      const kind = failureKind(error);
      if (kind === "permanent") {
        await finish({ status: "failed", error: reason });
        observer?.delivery?.("failed", reason);
        return;
      }
      if (kind === "transient") {
        const since = await store.noteTransientFailure(lease, clock(), reason).catch(() => null);
        const failingFor = since ? clock().getTime() - Date.parse(since) : 0;
        if (failingFor < options.retryTransientForMs) {
          await store.releaseLease(lease).catch(() => {});
          observer?.delivery?.("retrying", reason);
          throw error;
        }
        const error_ = `gave up after ${Math.round(failingFor / 1000)} s of retries: ${reason}`;
        await finish({ status: "failed", error: error_ });
        observer?.delivery?.("failed", error_);
        return;
      }
      if (message.attempt < options.maxAttempts) {
        await store.releaseLease(lease).catch(() => {});
        observer?.delivery?.("retrying", reason);
        throw error;
      }
      await finish({ status: "failed", error: reason });
      observer?.delivery?.("failed", reason);
    } finally {
      keeper.stop();
    }
  }

  return { handle };
}

/** The object changed or vanished in the bucket since it was listed: the crawler will see to it. */
const isSuperseded = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "OBJECT_CHANGED" || code === "OBJECT_NOT_FOUND";
};

export type IngestWorker = ReturnType<typeof createIngestWorker>;
