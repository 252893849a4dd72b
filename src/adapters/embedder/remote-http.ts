/**
 * One HTTP exchange with a remote embedder, and what to do when it fails: every failure that
 * may pass (no connection, a reset, no answer in time) becomes a TransientFailure the caller
 * may retry; an answer of any status comes back as it is, its body read within a size limit.
 */
import { VersoError } from "../../core/errors.js";
import { networkReason } from "../network-reason.js";

/** A failure that may pass: the same request can be sent again, after retryAfterMs if known. */
export class TransientFailure extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "TransientFailure";
  }
}

export interface HttpRequest {
  url: URL;
  method: "GET" | "POST";
  headers: Record<string, string>;
  json?: unknown;
  timeoutMs: number;
  /** Aborted when the embedder closes: the exchange then rejects with the signal's reason. */
  signal: AbortSignal;
  /** Longest body accepted in answer; a server sending more is refused, not buffered. */
  maxResponseBytes: number;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  /** The body parsed as JSON; undefined when it is empty or not JSON. */
  json: unknown;
  /** The start of the body as text, for error messages. */
  excerpt: string;
}

export async function exchange(request: HttpRequest): Promise<HttpAnswer> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = AbortSignal.any([request.signal, timeout]);
  const failure = (error: unknown) => {
    if (request.signal.aborted) return request.signal.reason as Error;
    if (timeout.aborted) return new TransientFailure(`did not answer within ${request.timeoutMs} ms`);
    if (error instanceof VersoError) return error;
    return new TransientFailure(`could not be reached: ${networkReason(error)}`, undefined, { cause: error });
  };
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.json === undefined ? {} : { body: JSON.stringify(request.json) }),
      // A redirected POST would silently turn into a GET: report it instead.
      redirect: "manual",
      signal,
    });
    const text = await readText(response, request.maxResponseBytes);
    return {
      status: response.status,
      headers: response.headers,
      json: parseJson(text),
      excerpt: text.slice(0, 300),
    };
  } catch (error) {
    throw failure(error);
  }
}

async function readText(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      await response.body.cancel().catch(() => {});
      throw new VersoError("REMOTE_EMBEDDER_ERROR", `the embedder's answer is larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Doubling delays with jitter, so clients that failed together do not all come back together. */
export function backoffMs(attempt: number, delays: { initialMs: number; maxMs: number }): number {
  const ceiling = Math.min(delays.maxMs, delays.initialMs * 2 ** attempt);
  return Math.round(ceiling * (0.5 + Math.random() / 2));
}

/** Waits, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
