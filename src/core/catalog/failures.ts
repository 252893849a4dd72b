/**
 * Which failures of an ingest may pass by themselves. A passing failure (the embedder, the
 * database, the broker or the bucket away for a while) is retried with growing pauses for as
 * long as the setting allows; a file that cannot be read fails at once with its reason; any
 * other error (a bug, say) is retried a few times before the object is marked failed.
 */
import { isVersoError } from "../errors.js";
import { UnreadableObjectError } from "./unreadable.js";

export type FailureKind = "transient" | "permanent" | "unknown";

/** Error codes of dropped or refused connections, as Node.js and the SQL drivers report them. */
const connectionCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "ER_LOCK_WAIT_TIMEOUT",
  "ER_LOCK_DEADLOCK",
  "ER_CON_COUNT_ERROR",
  "SQLITE_BUSY",
  // PostgreSQL: connection exceptions, admin shutdown, cannot connect now, too many connections.
  "08000",
  "08001",
  "08003",
  "08006",
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "40001",
  "40P01",
]);

export function failureKind(error: unknown): FailureKind {
  if (error instanceof UnreadableObjectError) return "permanent";
  if (isVersoError(error)) {
    if (error.kind === "unavailable") return "transient";
    // A source that refuses Verso's account (a music server's wrong password) refuses it again.
    if (error.kind === "invalid" || error.kind === "too_large" || error.kind === "forbidden")
      return "permanent";
    return "unknown";
  }
  for (let cause: unknown = error, depth = 0; cause && depth < 5; depth += 1) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && connectionCodes.has(code)) return "transient";
    if (
      /Connection terminated|connection is closed|Pool is closed|timeout exceeded when trying to connect/i.test(
        String((cause as Error).message),
      )
    )
      return "transient";
    cause = (cause as { cause?: unknown }).cause;
  }
  return "unknown";
}

export const describeError = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).slice(0, 2000);
