/**
 * What every bucket adapter's `open` shares: the options it accepts and the errors it gives, so
 * the worker handles a missing, changed or mis-addressed object the same way on every store.
 */
import { VersoError } from "../../core/errors.js";
import type { OpenOptions } from "../../core/ports.js";

export interface ReadRequest {
  etag: string | undefined;
  start: number;
}

/** The options of one read, checked: VALIDATION_FAILED for a start or etag that means nothing. */
export function readRequest(url: string, key: string, options: OpenOptions | undefined): ReadRequest {
  const { etag, start = 0 } = options ?? {};
  if (!Number.isSafeInteger(start) || start < 0)
    throw new VersoError(
      "VALIDATION_FAILED",
      `bucket ${url}: cannot read ${JSON.stringify(key)} from ${JSON.stringify(start)}: start must be a whole number of bytes, 0 or more`,
    );
  if (etag !== undefined && (typeof etag !== "string" || etag === ""))
    throw new VersoError(
      "VALIDATION_FAILED",
      `bucket ${url}: cannot read ${JSON.stringify(key)}: an etag must be a non-empty string`,
    );
  return { etag, start };
}

export function objectNotFound(url: string, key: string): VersoError {
  return new VersoError("OBJECT_NOT_FOUND", `bucket ${url} has no object ${JSON.stringify(key)}`);
}

export function objectChanged(url: string, key: string): VersoError {
  return new VersoError(
    "OBJECT_CHANGED",
    `bucket ${url}: object ${JSON.stringify(key)} is no longer the version that was listed`,
  );
}

/**
 * A start past the end is refused rather than read as nothing: the worker only resumes inside
 * the version it listed, so such an offset belongs to another version or to a bug, and an empty
 * read would finish the object with rows missing. A start at the very end reads nothing.
 */
export function startBeyondEnd(url: string, key: string, start: number, size: number): VersoError {
  return new VersoError(
    "VALIDATION_FAILED",
    `bucket ${url}: cannot read ${JSON.stringify(key)} from byte ${start}: it has ${size} bytes`,
  );
}
