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
import type { Metrics } from "../../observability/metrics.js";
import { checkEmbedCall, splitEvenly } from "./embed-call.js";
import {
  TransientFailure,
  backoffMs,
  exchange,
  retryAfterMs,
  sleep,
  type HttpAnswer,
} from "./remote-http.js";
import {
  MalformedAnswer,
  embeddingsRequest,
  errorMessage,
  priorityHeader,
  readEmbeddings,
  readVersoStatus,
  versoErrorCode,
  type VersoStatus,
} from "./remote-wire.js";

export interface RemoteEmbedderOptions {
  /** The server's base URL; a trailing /v1 or /v1/embeddings (OpenAI clients' habit) is accepted. */
  url: string;
  /** The model to ask for (Ollama and vLLM need it; Verso's role refuses any other than its own). */
  model?: string;
  /** Sent as a bearer token (vLLM --api-key, a proxy). */
  apiKey?: string;
  /** One request's limit, answer included (default 30 s). */
  timeoutMs?: number;
  /** Most texts in one request (default 64; lowered to what Verso's role accepts). */
  maxBatch?: number;
  /** Bulk requests in flight at once; also the embedder's parallelism (default 2). */
  concurrency?: number;
  /** Interactive requests in flight at once, beside the bulk ones (default 2). */
  interactiveConcurrency?: number;
  /** Retries of a request after a failure that may pass (default 3). */
  retries?: number;
  /** Delays between retries: doubling from initialMs up to maxMs, with jitter (default 250 ms to 5 s). */
  retryDelay?: { initialMs: number; maxMs: number };
  /** How long start-up keeps trying to reach the server (default 5 minutes). */
  startTimeoutMs?: number;
  /** Delays between start-up attempts (default 500 ms to 15 s). */
  startDelay?: { initialMs: number; maxMs: number };
  /** Aborts start-up (the process is shutting down). */
  signal?: AbortSignal;
  metrics?: Pick<Metrics, "embedBatches">;
  onEvent?: (event: RemoteEmbedderEvent) => void;
}

export type RemoteEmbedderEvent =
  /** Start-up could not reach the server yet; it tries again in retryInMs. */
  | { type: "waiting"; url: string; attempt: number; reason: string; retryInMs: number }
  | { type: "connected"; url: string; model: EmbeddingModel; server: "verso" | "openai-compatible" }
  /** A request failed in a way that may pass; it is sent again in retryInMs. */
  | { type: "retrying"; url: string; attempt: number; reason: string; retryInMs: number; texts: number };

export interface RemoteEmbedder extends Embedder {
  readonly url: string;
  /** Texts waiting for a request slot, and requests in flight, by priority. */
  stats(): { queued: Record<EmbedPriority, number>; inFlight: Record<EmbedPriority, number> };
}

/** Never wait longer than this on a server's Retry-After: the caller has its own patience. */
const retryAfterCapMs = 30_000;
/** ready() on a server without a status route trusts an answer this recent instead of asking. */
const freshAnswerMs = 10_000;
const statusAnswerBytes = 64 * 1024;

interface Settings {
  base: URL;
  /** The URL without credentials or query: what logs and errors show. */
  shown: string;
  headers: Record<string, string>;
  model: string | undefined;
  timeoutMs: number;
  maxBatch: number;
  concurrency: number;
  interactiveConcurrency: number;
  retries: number;
  retryDelay: { initialMs: number; maxMs: number };
}

interface Discovered {
  model: EmbeddingModel;
  server: "verso" | "openai-compatible";
  /** Whether the server names the model in its answers, so each answer can be checked. */
  namesModel: boolean;
  maxTexts: number | undefined;
}

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

function settingsOf(options: RemoteEmbedderOptions): Settings {
  let base: URL;
  try {
    base = new URL(options.url);
  } catch {
    throw new RangeError(`the embedder URL ${JSON.stringify(options.url)} is not a URL`);
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") {
    throw new RangeError(`the embedder URL must be http:// or https://, not ${base.protocol}//`);
  }
  if (base.username || base.password) {
    // fetch refuses such URLs, and a password in a URL ends up in logs.
    throw new RangeError("the embedder URL must not hold credentials: give a token as the API key");
  }
  base.search = "";
  base.hash = "";
  base.pathname = base.pathname.replace(/\/+$/, "").replace(/\/v1(\/embeddings)?$/, "") + "/";
  const positive = (name: string, value: number | undefined, fallback: number) => {
    const chosen = value ?? fallback;
    if (!Number.isInteger(chosen) || chosen < 1)
      throw new RangeError(`embedder ${name} must be a positive integer, not ${chosen}`);
    return chosen;
  };
  const retries = options.retries ?? 3;
  if (!Number.isInteger(retries) || retries < 0)
    throw new RangeError(`embedder retries must be 0 or more, not ${retries}`);
  const headers: Record<string, string> = { accept: "application/json", "content-type": "application/json" };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  return {
    base,
    shown: base.href,
    headers,
    model: options.model?.trim() || undefined,
    timeoutMs: positive("timeout", options.timeoutMs, 30_000),
    maxBatch: positive("maxBatch", options.maxBatch, 64),
    concurrency: positive("concurrency", options.concurrency, 2),
    interactiveConcurrency: positive("interactiveConcurrency", options.interactiveConcurrency, 2),
    retries,
    retryDelay: options.retryDelay ?? { initialMs: 250, maxMs: 5000 },
  };
}

// ── start-up ────────────────────────────────────────────────────────────────────────────────

async function discover(
  settings: Settings,
  options: RemoteEmbedderOptions,
  signal: AbortSignal,
): Promise<Discovered> {
  const startTimeoutMs = options.startTimeoutMs ?? 5 * 60_000;
  const delays = options.startDelay ?? { initialMs: 500, maxMs: 15_000 };
  const deadline = Date.now() + startTimeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await discoverOnce(settings, signal);
    } catch (error) {
      if (!(error instanceof TransientFailure)) throw error;
      const wait = Math.min(error.retryAfterMs ?? backoffMs(attempt - 1, delays), deadline - Date.now());
      if (wait <= 0) {
        throw new VersoError(
          "DEPENDENCY_UNAVAILABLE",
          `no embedder answered at ${settings.shown} within ${startTimeoutMs / 1000} s: it ${error.message}`,
          { cause: error },
        );
      }
      options.onEvent?.({
        type: "waiting",
        url: settings.shown,
        attempt,
        reason: error.message,
        retryInMs: wait,
      });
      await sleep(wait, signal);
    }
  }
}

/** Verso's role says everything in GET /status; any other server is asked to embed one text. */
async function discoverOnce(settings: Settings, signal: AbortSignal): Promise<Discovered> {
  const status = await getStatus(settings, signal);
  if (status) {
    if (settings.model !== undefined && settings.model !== status.model.name) {
      throw new VersoError(
        "EMBEDDING_MODEL_NOT_SERVED",
        `the embedder at ${settings.shown} serves ${status.model.name}, not the model asked for, ${settings.model}`,
      );
    }
    return { model: status.model, server: "verso", namesModel: true, maxTexts: status.maxTexts };
  }
  const answer = await postEmbeddings(settings, ["hello"], "interactive", signal);
  const name = answer.model ?? settings.model;
  if (!name) {
    throw new VersoError(
      "REMOTE_EMBEDDER_ERROR",
      `the embedder at ${settings.shown} does not say which model answered: name it with the model setting`,
    );
  }
  return {
    model: { name, dimension: answer.vectors[0]!.length },
    server: "openai-compatible",
    namesModel: answer.model !== undefined,
    maxTexts: undefined,
  };
}

/** Verso's status, or undefined when the server is not Verso's embedder role. */
async function getStatus(settings: Settings, signal: AbortSignal): Promise<VersoStatus | undefined> {
  const answer = await exchange({
    url: new URL("status", settings.base),
    method: "GET",
    headers: {
      accept: "application/json",
      ...(settings.headers.authorization ? { authorization: settings.headers.authorization } : {}),
    },
    timeoutMs: settings.timeoutMs,
    signal,
    maxResponseBytes: statusAnswerBytes,
  });
  if (isTransientStatus(answer.status)) throw transientOf(answer);
  if (answer.status !== 200) return undefined;
  try {
    return readVersoStatus(answer.json);
  } catch (error) {
    if (error instanceof MalformedAnswer) throw unusable(settings, error);
    throw error;
  }
}

// ── one request ─────────────────────────────────────────────────────────────────────────────

/** A 413 for several texts: the server takes fewer at once than were sent. */
class TooLarge extends Error {}

async function postEmbeddings(
  settings: Settings,
  texts: readonly string[],
  priority: EmbedPriority,
  signal: AbortSignal,
  dimension?: number,
) {
  const answer = await exchange({
    url: new URL("v1/embeddings", settings.base),
    method: "POST",
    headers: { ...settings.headers, [priorityHeader]: priority },
    json: embeddingsRequest(texts, settings.model),
    timeoutMs: settings.timeoutMs,
    signal,
    // Numbers as JSON text take at most ~25 characters; the rest is generous room for framing.
    maxResponseBytes: texts.length * (dimension ?? 8192) * 32 + 64 * 1024,
  });
  if (answer.status >= 200 && answer.status < 300) {
    try {
      return readEmbeddings(answer.json, texts.length);
    } catch (error) {
      if (error instanceof MalformedAnswer) throw unusable(settings, error);
      throw error;
    }
  }
  if (isTransientStatus(answer.status)) throw transientOf(answer);
  const message = errorMessage(answer.json) ?? (answer.excerpt || "no reason given");
  if (answer.status >= 300 && answer.status < 400) {
    throw new VersoError(
      "REMOTE_EMBEDDER_ERROR",
      `the embedder at ${settings.shown} redirects to ${answer.headers.get("location") ?? "elsewhere"}: set the URL to where it leads`,
    );
  }
  if (answer.status === 413) {
    if (texts.length > 1) throw new TooLarge(message);
    throw new VersoError(
      "REMOTE_EMBEDDER_ERROR",
      `the embedder at ${settings.shown} finds a single text too large: ${message}`,
    );
  }
  // What Verso's role says of the request itself keeps its code; anything else is the server's problem.
  const code = versoErrorCode(answer.json);
  if (code === "VALIDATION_FAILED" || code === "EMBEDDING_MODEL_NOT_SERVED") {
    throw new VersoError(code, `the embedder at ${settings.shown}: ${message}`);
  }
  throw new VersoError(
    "REMOTE_EMBEDDER_ERROR",
    `the embedder at ${settings.shown} refused the request (${answer.status}): ${message}`,
  );
}

const isTransientStatus = (status: number) => status === 408 || status === 429 || status >= 500;

function transientOf(answer: HttpAnswer): TransientFailure {
  const message = errorMessage(answer.json) ?? answer.excerpt;
  const wait = retryAfterMs(answer.headers);
  return new TransientFailure(
    `answered ${answer.status}${message ? `: ${message}` : ""}`,
    wait === undefined ? undefined : Math.min(wait, retryAfterCapMs),
  );
}

function unusable(settings: Settings, error: Error) {
  const message = `the embedder at ${settings.shown} answered something unusable: ${error.message}`;
  return new VersoError("REMOTE_EMBEDDER_ERROR", message, { cause: error });
}

const stoppedError = (settings: Settings) =>
  new VersoError("DEPENDENCY_UNAVAILABLE", `the embedder client for ${settings.shown} is closed`);

// ── the embedder ────────────────────────────────────────────────────────────────────────────

interface Call {
  texts: string[];
  priority: EmbedPriority;
  /** Sent alone, never coalesced: set when retrying after a coalesced request was refused. */
  solo: boolean;
  resolve: (vectors: Float32Array[]) => void;
  reject: (error: Error) => void;
}

class HttpEmbedder implements RemoteEmbedder {
  readonly model: EmbeddingModel;
  readonly parallelism: number;
  readonly url: string;

  private readonly maxBatch: number;
  private readonly slots: Record<EmbedPriority, number>;
  private readonly queues: Record<EmbedPriority, Call[]> = { interactive: [], bulk: [] };
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
    this.maxBatch = Math.min(settings.maxBatch, discovered.maxTexts ?? Infinity);
    this.slots = { bulk: settings.concurrency, interactive: settings.interactiveConcurrency };
  }

  async embed(texts: readonly string[], options: { priority?: EmbedPriority } = {}): Promise<Float32Array[]> {
    const priority = checkEmbedCall(texts, options.priority);
    if (this.closed) throw this.closedError();
    if (texts.length === 0) return [];
    const pending = splitEvenly(texts, this.maxBatch).map(
      (chunk) =>
        new Promise<Float32Array[]>((resolve, reject) => {
          this.queues[priority].push({ texts: chunk, priority, solo: false, resolve, reject });
        }),
    );
    this.pump();
    return (await Promise.all(pending)).flat();
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
    const queued = (priority: EmbedPriority) =>
      this.queues[priority].reduce((sum, c) => sum + c.texts.length, 0);
    return {
      queued: { interactive: queued("interactive"), bulk: queued("bulk") },
      inFlight: { ...this.inFlight },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = this.closedError();
    this.closing.abort(error);
    for (const priority of ["interactive", "bulk"] as const) {
      for (const call of this.queues[priority].splice(0)) call.reject(error);
    }
  }

  // ── scheduling ──────────────────────────────────────────────────────────────────────────

  private pump() {
    for (const priority of ["interactive", "bulk"] as const) {
      while (
        !this.closed &&
        this.queues[priority].length > 0 &&
        this.inFlight[priority] < this.slots[priority]
      ) {
        this.dispatch(priority);
      }
    }
  }

  private dispatch(priority: EmbedPriority) {
    const queue = this.queues[priority];
    const first = queue.shift()!;
    const calls = [first];
    let count = first.texts.length;
    while (!first.solo && queue[0] && !queue[0].solo && count + queue[0].texts.length <= this.maxBatch) {
      const next = queue.shift()!;
      calls.push(next);
      count += next.texts.length;
    }
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
            queue.unshift(...calls.map((c) => ({ ...c, solo: true })));
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
