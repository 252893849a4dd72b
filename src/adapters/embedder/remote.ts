/**
 * Embedder port, remote adapter (VERSO_EMBEDDER=http(s)://…): Verso's own embedder role, or any
 * server speaking OpenAI's POST /v1/embeddings (TEI, Ollama, vLLM), to share one model between
 * processes or to bring a stronger one.
 *
 * The model comes from the server: Verso's role names it in GET /status (so its vectors and the
 * in-process adapter's, of the same model, are interchangeable); another server names it in its
 * answer, and its first vector gives the dimension. Once known it is fixed: an answer of another
 * model or dimension fails with EMBEDDING_MODEL_CHANGED, never mixing two models' vectors.
 *
 * Calls are coalesced into requests of up to maxBatch texts. Bulk requests (ingest) are at most
 * `concurrency` at a time; interactive ones (prompts) have slots of their own and a header that
 * puts them first on Verso's role, so a prompt never waits behind ingest. Failures that may pass
 * (no connection, a reset, a timeout, 5xx, 429) are retried with backoff, honouring
 * Retry-After, then reported as DEPENDENCY_UNAVAILABLE: ingest can tell a server that is away
 * from a file that is bad. Vectors are normalized here, since not every server does.
 *
 * Start-up: createRemoteEmbedder() resolves once the model is known. While the server cannot be
 * reached (not started yet, loading a model) it keeps asking with growing delays, telling each
 * attempt through onEvent, and rejects with DEPENDENCY_UNAVAILABLE after startTimeoutMs (or at
 * once when `signal` aborts), so the process neither hangs forever nor starts with a guessed
 * model. A server that answers but refuses (wrong model, no access) rejects it at once.
 */
import { VersoError, isVersoError } from "../../core/errors.js";
import type { EmbedPriority, Embedder, EmbeddingModel } from "../../core/ports.js";
import { checkEmbedCall } from "./embed-call.js";
import { LaneScheduler, type LaneCall } from "./lane-scheduler.js";
import { discover, type Discovered } from "./remote-discovery.js";
import { TransientFailure, backoffMs, sleep } from "./remote-http.js";
import { TooLarge, getStatus, postEmbeddings, stoppedError } from "./remote-requests.js";
import { settingsOf, type RemoteEmbedderOptions, type Settings } from "./remote-settings.js";
import type { VersoStatus } from "./remote-wire.js";

export type { RemoteEmbedderEvent, RemoteEmbedderOptions } from "./remote-settings.js";

export interface RemoteEmbedder extends Embedder {
  readonly url: string;
  /** Texts waiting for a request slot, and requests in flight, by priority. */
  stats(): { queued: Record<EmbedPriority, number>; inFlight: Record<EmbedPriority, number> };
}

/** ready() on a server without a status route trusts an answer this recent instead of asking. */
const freshAnswerMs = 10_000;

export async function createRemoteEmbedder(options: RemoteEmbedderOptions): Promise<RemoteEmbedder> {
  const settings = settingsOf(options);
  const closing = new AbortController();
  const abortStart = () => closing.abort(options.signal?.reason ?? stoppedError(settings));
  options.signal?.addEventListener("abort", abortStart, { once: true });
  try {
    if (options.signal?.aborted) abortStart();
    const discovered = await discover(settings, options, closing.signal);
    options.onEvent?.({
      type: "connected",
      url: settings.shown,
      model: discovered.model,
      server: discovered.server,
    });
    return new HttpEmbedder(settings, discovered, options, closing);
  } finally {
    options.signal?.removeEventListener("abort", abortStart);
  }
}

class HttpEmbedder implements RemoteEmbedder {
  readonly model: EmbeddingModel;
  readonly parallelism: number;
  readonly url: string;

  private readonly scheduler: LaneScheduler;
  private readonly slots: Record<EmbedPriority, number>;
  private readonly inFlight: Record<EmbedPriority, number> = { interactive: 0, bulk: 0 };
  /** When the last request was answered; undefined after one that failed. */
  private lastAnswerAt: number | undefined = Date.now();
  private closed = false;

  constructor(
    private readonly settings: Settings,
    private readonly discovered: Discovered,
    private readonly options: RemoteEmbedderOptions,
    private readonly closing: AbortController,
  ) {
    this.model = { ...discovered.model };
    this.url = settings.shown;
    this.parallelism = settings.concurrency;
    this.scheduler = new LaneScheduler(Math.min(settings.maxBatch, discovered.maxTexts ?? Infinity));
    this.slots = { bulk: settings.concurrency, interactive: settings.interactiveConcurrency };
  }

  async embed(texts: readonly string[], options: { priority?: EmbedPriority } = {}): Promise<Float32Array[]> {
    const priority = checkEmbedCall(texts, options.priority);
    if (this.closed) throw this.closedError();
    if (texts.length === 0) return [];
    const vectors = this.scheduler.submit(texts, priority, {});
    this.pump();
    return vectors;
  }

  async ready(): Promise<void> {
    if (this.closed) throw this.closedError();
    if (this.discovered.server === "verso") {
      let status: VersoStatus | undefined;
      try {
        status = await getStatus(this.settings, this.closing.signal);
      } catch (error) {
        throw this.final(error, 1);
      }
      if (!status) throw this.unavailable("no longer answers as Verso's embedder");
      this.checkModel(status.model.name, status.model.dimension);
      if (!status.ready) throw this.unavailable(`is not ready: ${status.reason ?? "no reason given"}`);
      return;
    }
    if (this.lastAnswerAt !== undefined && Date.now() - this.lastAnswerAt < freshAnswerMs) return;
    await this.request(["hello"], "interactive", 0);
  }

  stats() {
    return { queued: this.scheduler.queued(), inFlight: { ...this.inFlight } };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = this.closedError();
    this.closing.abort(error);
    for (const call of this.scheduler.drain()) call.reject(error);
  }

  // ── scheduling ──────────────────────────────────────────────────────────────────────────

  /** Interactive calls first, each lane up to its own number of requests in flight. */
  private pump() {
    this.scheduler.dispatch(
      (lane) => (!this.closed && this.inFlight[lane] < this.slots[lane] ? lane : undefined),
      (_, calls, priority) => this.send(calls, priority),
    );
  }

  private send(calls: LaneCall[], priority: EmbedPriority) {
    this.inFlight[priority] += 1;
    const started = performance.now();
    this.request(
      calls.flatMap((c) => c.texts),
      priority,
      this.settings.retries,
    )
      .then(
        (vectors) => {
          this.options.metrics?.embedBatches.labels(priority).observe((performance.now() - started) / 1000);
          let offset = 0;
          for (const call of calls) call.resolve(vectors.slice(offset, (offset += call.texts.length)));
        },
        (error: Error) => {
          if (calls.length > 1 && isRefusal(error)) {
            // Only one caller may hold the text the server refused: retry each on its own.
            this.scheduler.retryAlone(calls);
          } else {
            for (const call of calls) call.reject(error);
          }
        },
      )
      .finally(() => {
        this.inFlight[priority] -= 1;
        this.pump();
      });
  }

  // ── requests ────────────────────────────────────────────────────────────────────────────

  /** One batch, sent again after failures that may pass, halved when the server finds it too large. */
  private async request(texts: string[], priority: EmbedPriority, retries: number): Promise<Float32Array[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        const answer = await postEmbeddings(
          this.settings,
          texts,
          priority,
          this.closing.signal,
          this.model.dimension,
        );
        this.checkModel(answer.model, answer.vectors[0]!.length);
        this.lastAnswerAt = Date.now();
        return answer.vectors;
      } catch (error) {
        if (error instanceof TooLarge) return this.halves(texts, priority, retries);
        if (!(error instanceof TransientFailure) || attempt >= retries || this.closed) {
          if (error instanceof TransientFailure) this.lastAnswerAt = undefined;
          throw this.final(error, attempt + 1);
        }
        const wait = error.retryAfterMs ?? backoffMs(attempt, this.settings.retryDelay);
        this.options.onEvent?.({
          type: "retrying",
          url: this.url,
          attempt: attempt + 1,
          reason: error.message,
          retryInMs: wait,
          texts: texts.length,
        });
        await sleep(wait, this.closing.signal);
      }
    }
  }

  private async halves(texts: string[], priority: EmbedPriority, retries: number) {
    const middle = Math.ceil(texts.length / 2);
    const [head, tail] = await Promise.all([
      this.request(texts.slice(0, middle), priority, retries),
      this.request(texts.slice(middle), priority, retries),
    ]);
    return [...head, ...tail];
  }

  /** Vectors of two models must never meet in one index. */
  private checkModel(name: string | undefined, dimension: number) {
    const known = this.model;
    const otherName = this.discovered.namesModel && name !== undefined && name !== known.name;
    if (otherName || dimension !== known.dimension) {
      throw new VersoError(
        "EMBEDDING_MODEL_CHANGED",
        `the embedder at ${this.url} now answers with ${name ?? "an unnamed model"} (${dimension} dimensions), ` +
          `not ${known.name} (${known.dimension}) as when Verso started; restart Verso to use the new model`,
      );
    }
  }

  private final(error: unknown, attempts: number): Error {
    if (this.closed) return this.closedError();
    if (error instanceof TransientFailure) {
      const tries = attempts === 1 ? "" : ` (${attempts} attempts)`;
      return new VersoError(
        "DEPENDENCY_UNAVAILABLE",
        `the embedder at ${this.url} ${error.message}${tries}`,
        {
          cause: error,
          ...(error.retryAfterMs === undefined
            ? {}
            : { retryAfterSeconds: Math.ceil(error.retryAfterMs / 1000) }),
        },
      );
    }
    return error instanceof Error ? error : new Error(String(error));
  }

  private unavailable(what: string) {
    return new VersoError("DEPENDENCY_UNAVAILABLE", `the embedder at ${this.url} ${what}`);
  }

  private closedError() {
    return stoppedError(this.settings);
  }
}

/** Refusals of the texts themselves, which may belong to one caller of a coalesced request. */
const isRefusal = (error: unknown) =>
  isVersoError(error) && (error.code === "VALIDATION_FAILED" || error.code === "REMOTE_EMBEDDER_ERROR");
