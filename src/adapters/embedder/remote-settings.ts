/** The settings of a remote embedder: its options, checked, with their defaults filled in. */
import type { EmbeddingModel } from "../../core/ports.js";
import type { Metrics } from "../../observability/metrics.js";

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

export interface Settings {
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

export function settingsOf(options: RemoteEmbedderOptions): Settings {
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
