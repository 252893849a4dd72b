/**
 * The worker's use case: one job = one catalog object. The CSV is streamed, rows become songs,
 * lyrics become passages, passages are embedded with every embedder worker busy, and
 * consecutive rows are committed in order, each commit recording where a restarted worker
 * resumes. Songs are upserted and their passages replaced inside the commit, so a redelivered
 * job changes nothing twice; the job is acknowledged only after the last commit.
 */
import type { Bucket, Embedder, QueueMessage } from "../ports.js";
import type { LiveIndex } from "../search/live-index.js";
import { meanVector } from "../vectors.js";
import { readCatalogCsv } from "./csv.js";
import { guessLanguage } from "./language.js";
import { LayoutError } from "./layout.js";
import { defaultChunking, judgeLyrics, toPassages, type ChunkOptions } from "./lyrics.js";
import type { CatalogObject, CatalogStore, IngestBatch, IngestJob, IngestedSong } from "./store.js";

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

export interface IngestObserver {
  progress?(progress: IngestProgress): void;
  rows?(counts: { songs: number; passages: number; skipped: number; errors: number }): void;
  finished?(object: CatalogObject, outcome: "done" | "failed", durationMs: number): void;
}

export interface IngestOptions {
  store: CatalogStore;
  embedder: Embedder;
  index: LiveIndex;
  /** The bucket a job's source names. */
  bucketFor(source: string): Bucket;
  chunking?: ChunkOptions;
  /** Passages per embedding request. */
  batchPassages?: number;
  /** Deliveries after which a failing object is marked failed instead of retried. */
  maxAttempts: number;
  observer?: IngestObserver;
}

interface PendingBatch {
  songs: { song: IngestedSong["song"]; status: IngestedSong["lyricsStatus"]; passages: string[] }[];
  rowErrors: { line: number; reason: string }[];
  rowsDone: number;
  bytesDone: number;
  passageCount: number;
}

/** The object changed or vanished while it was being processed: a newer job owns it now. */
class Superseded extends Error {}

export function createIngestWorker(options: IngestOptions) {
  const { store, embedder, index, observer } = options;
  const chunking = options.chunking ?? defaultChunking;
  const batchPassages = options.batchPassages ?? 64;
  // One batch more than the embedder can work on, so a worker never idles while we commit.
  const inFlightLimit = embedder.parallelism + 1;

  async function processObject(job: IngestJob, started: CatalogObject): Promise<void> {
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
        objectId: job.objectId,
        etag: job.etag,
        modelId,
        songs,
        rowErrors: head.batch.rowErrors,
        counts,
        rowsDone: head.batch.rowsDone,
        bytesDone: head.batch.bytesDone,
      };
      const committed = await index.apply(() => store.commitBatch(batch));
      if (!committed) throw new Superseded();
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
      bytesDone: 0,
      passageCount: 0,
    });
    let pending = empty();
    const stream = await options.bucketFor(job.source).open(job.key);
    try {
      for await (const event of readCatalogCsv(stream)) {
        if (event.row <= started.rowsDone) continue;
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
        pending.bytesDone = event.bytes;
        if (pending.passageCount >= batchPassages || pending.songs.length + pending.rowErrors.length >= 256) {
          await dispatch(pending);
          pending = empty();
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

  /** The queue handler: resolves to acknowledge, throws to have the job retried. */
  async function handle(message: QueueMessage<IngestJob>): Promise<void> {
    const job = message.payload;
    const started = await store.startObject(job.objectId, job.etag, embedder.model.name);
    if (!started) return; // done already, or changed since: a newer job carries it
    const t0 = Date.now();
    const finish = async (outcome: "done" | "failed", error?: string) => {
      await store.finishObject(job.objectId, job.etag, { status: outcome, ...(error ? { error } : {}) });
      const object = await store.getObject(job.objectId);
      if (object) observer?.finished?.(object, outcome, Date.now() - t0);
    };
    try {
      await processObject(job, started);
      await finish("done");
    } catch (error) {
      if (error instanceof Superseded) return;
      const permanent = error instanceof LayoutError;
      if (!permanent && message.attempt < options.maxAttempts) throw error;
      await finish("failed", error instanceof Error ? error.message : String(error));
    }
  }

  return { handle };
}

export type IngestWorker = ReturnType<typeof createIngestWorker>;
