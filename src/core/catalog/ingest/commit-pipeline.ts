/**
 * Batches on their way from the embedder to the database: each is sent to the embedder as it
 * comes, with one batch more in flight than the embedder can work on (so it never idles while
 * a commit runs), and committed in order, each commit through the index writer. A text already
 * stored with the model (by its hash) takes the stored vector, and each other distinct text of
 * a batch is embedded once: the same text is never embedded twice.
 *
 * When the worker is stopping, the pipeline commits the batches already embedded and gives up
 * the rest at once, rather than wait for the model: a slow model (or a loaded machine) would
 * otherwise hold a shutdown past its deadline. The next run reads the rows after the last
 * commit again.
 */
import type { BackgroundTurns } from "../../foreground-work.js";
import type { Embedder } from "../../ports.js";
import { meanVector } from "../../vectors.js";
import type { IndexWriter } from "../index-writer.js";
import { vectorsOf, type ReusedVectors, type VectorsInFlight } from "../vector-reuse.js";
import type { CatalogObject, IngestBatch, IngestedSong, IngestRunStore, Lease } from "../store.js";
import type { IngestObserver, RowCounts } from "./observer.js";
import type { PassageTexts } from "./passage-texts.js";
import type { RowBatch } from "./row-batches.js";

export interface CommitPipelineDeps {
  store: Pick<IngestRunStore, "commitBatch" | "storedVectors">;
  embedder: Embedder;
  /** What is embedded for each passage (its translation, for a song in another language); default: its text. */
  passageTexts?: Pick<PassageTexts, "of">;
  indexWriter: IndexWriter;
  /** Where each batch's turn ends, before it is embedded and before it is committed. */
  background?: BackgroundTurns;
  observer?: Pick<IngestObserver, "rows" | "progress" | "embedded">;
}

/** The run the batches belong to. */
export interface PipelineRun {
  /** The object as the run started it: its counters so far, its size. */
  object: CatalogObject;
  lease: Lease;
  modelId: number;
  /** Aborted when the worker is stopping. */
  stop?: AbortSignal | undefined;
}

interface BatchInFlight {
  batch: RowBatch;
  vectors: Promise<ReusedVectors>;
  /** Whether its vectors have come back (or failed): committing it waits for no model. */
  settled: boolean;
}

const withVectors = (batch: RowBatch, { vectors, hashes }: ReusedVectors): IngestedSong[] => {
  let next = 0;
  return batch.songs.map(({ song, line, status, passages }) => {
    const embedded = passages.map((text) => {
      const at = next++;
      return { text, vector: vectors[at]!, textHash: hashes[at]! };
    });
    return {
      song,
      line,
      lyricsStatus: status,
      passages: embedded,
      vector: meanVector(embedded.map((p) => p.vector)),
    };
  });
};

export class CommitPipeline {
  private readonly inFlight: BatchInFlight[] = [];
  /** Set when a stop gave up batches still at the embedder: their rows are not committed. */
  private gaveUp = false;
  /** The texts of the batches in flight, embedded once for all of them until their commit stores them. */
  private readonly embedding: VectorsInFlight = new Map();
  private readonly totals: RowCounts;

  constructor(
    private readonly deps: CommitPipelineDeps,
    private readonly run: PipelineRun,
  ) {
    const { songs, passages, skipped, errors } = run.object;
    this.totals = { songs, passages, skipped, errors };
  }

  /** Sends a batch to the embedder, committing the oldest ones beyond the bound; false when the lease was lost. */
  async push(batch: RowBatch): Promise<boolean> {
    await this.deps.background?.turn();
    const vectors = this.embed(batch);
    const entry: BatchInFlight = { batch, vectors, settled: false };
    // Awaited in order by commitOldest; until then a rejection must not count as unhandled.
    vectors.then(
      () => (entry.settled = true),
      () => (entry.settled = true),
    );
    this.inFlight.push(entry);
    while (this.inFlight.length > this.deps.embedder.parallelism + 1) {
      if (!(await this.oldestSettled())) return this.commitSettled();
      if (!(await this.commitOldest())) return false;
    }
    return true;
  }

  /** Whether a stop gave up batches that were still being embedded (their rows are not committed). */
  get stoppedEarly(): boolean {
    return this.gaveUp;
  }

  /** The batch's vectors: those stored for its texts, the other distinct texts embedded once each. */
  private async embed(batch: RowBatch): Promise<ReusedVectors> {
    const songs = batch.songs.map((s) => ({ language: s.song.language, passages: s.passages }));
    const { texts } = this.deps.passageTexts
      ? await this.deps.passageTexts.of(songs)
      : { texts: songs.flatMap((s) => s.passages) };
    const { store, embedder } = this.deps;
    return vectorsOf(texts, { store, embedder, modelId: this.run.modelId, inFlight: this.embedding });
  }

  /**
   * Commits every batch still in flight, or, once the worker is stopping, those already
   * embedded (see stoppedEarly); false when the lease was lost.
   */
  async drain(): Promise<boolean> {
    while (this.inFlight.length > 0) {
      if (!(await this.oldestSettled())) return this.commitSettled();
      if (!(await this.commitOldest())) return false;
    }
    return true;
  }

  /** Lets embeddings still in flight settle quietly, when the run stopped early for another cause. */
  async settle(): Promise<void> {
    await Promise.allSettled(this.inFlight.map((f) => f.vectors));
  }

  /** Waits for the oldest batch's vectors; false, without waiting for them, once the worker is stopping. */
  private async oldestSettled(): Promise<boolean> {
    const oldest = this.inFlight[0]!;
    const { stop } = this.run;
    if (!stop || oldest.settled) {
      await oldest.vectors.catch(() => {});
      return true;
    }
    if (stop.aborted) return false;
    let onAbort = () => {};
    const stopped = new Promise<void>((resolve) => (onAbort = resolve));
    stop.addEventListener("abort", onAbort, { once: true });
    try {
      await Promise.race([oldest.vectors.catch(() => {}), stopped]);
    } finally {
      stop.removeEventListener("abort", onAbort);
    }
    return oldest.settled;
  }

  /** The worker is stopping: commits the batches already embedded, in order, and gives up the rest. */
  private async commitSettled(): Promise<boolean> {
    while (this.inFlight[0]?.settled) {
      if (!(await this.commitOldest())) return false;
    }
    this.gaveUp ||= this.inFlight.length > 0;
    // Their embeddings go on without anyone waiting: settle() has nothing left to wait for.
    this.inFlight.splice(0);
    return true;
  }

  private async commitOldest(): Promise<boolean> {
    const { batch, vectors: pending } = this.inFlight.shift()!;
    const vectors = await pending;
    await this.deps.background?.turn();
    const songs = withVectors(batch, vectors);
    const counts: RowCounts = {
      songs: songs.length,
      passages: batch.passageCount,
      skipped: songs.filter((s) => s.lyricsStatus !== "ok").length,
      errors: batch.rowErrors.filter((r) => r.kind === "skipped").length,
    };
    const commit: IngestBatch = {
      lease: this.run.lease,
      modelId: this.run.modelId,
      songs,
      rowErrors: batch.rowErrors,
      counts: { ...counts, changed: batch.changedRows, reused: vectors.reused },
      rowsDone: batch.rowsDone,
      linesDone: batch.linesDone,
      bytesDone: batch.bytesDone,
    };
    const committed = await this.deps.indexWriter.apply(() => this.deps.store.commitBatch(commit));
    if (!committed) return false;
    for (const hash of vectors.hashes) this.embedding.delete(hash);
    this.count(counts, commit);
    this.deps.observer?.embedded?.({ reused: vectors.reused, computed: vectors.computed });
    return true;
  }

  private count(counts: RowCounts, commit: IngestBatch): void {
    const { totals, run } = this;
    totals.songs += counts.songs;
    totals.passages += counts.passages;
    totals.skipped += counts.skipped;
    totals.errors += counts.errors;
    this.deps.observer?.rows?.(counts);
    this.deps.observer?.progress?.({
      objectId: run.object.id,
      key: run.object.key,
      rowsDone: commit.rowsDone,
      bytesDone: commit.bytesDone,
      size: run.object.size,
      ...totals,
    });
  }
}
