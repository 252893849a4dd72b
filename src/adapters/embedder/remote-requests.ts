/**
 * The requests Verso sends a remote embedder, GET /status and POST /v1/embeddings, and what
 * their answers become: vectors, a Verso status, a TransientFailure to retry, or a VersoError
 * with a stable code.
 */
import { VersoError } from "../../core/errors.js";
import type { EmbedPriority } from "../../core/ports.js";
import { TransientFailure, exchange, retryAfterMs, type HttpAnswer } from "./remote-http.js";
import type { Settings } from "./remote-settings.js";
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

/** Never wait longer than this on a server's Retry-After: the caller has its own patience. */
const retryAfterCapMs = 30_000;
const statusAnswerBytes = 64 * 1024;

/** Verso's status, or undefined when the server is not Verso's embedder role. */
export async function getStatus(settings: Settings, signal: AbortSignal): Promise<VersoStatus | undefined> {
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

/** A 413 for several texts: the server takes fewer at once than were sent. */
export class TooLarge extends Error {}

/**
 * One POST /v1/embeddings: the vectors, or the error its answer means. `dimension`, once known,
 * bounds the size of the answer accepted.
 */
export async function postEmbeddings(
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

export const stoppedError = (settings: Settings) =>
  new VersoError("DEPENDENCY_UNAVAILABLE", `the embedder client for ${settings.shown} is closed`);
