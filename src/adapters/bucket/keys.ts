/**
 * The key rules every bucket adapter shares, so that the same files in a folder or under an S3
 * prefix list as the same keys in the same order, and a key one adapter refuses the other
 * refuses too.
 */
import path from "node:path";
import { VersoError } from "../../core/errors.js";
import type { BucketObject } from "../../core/ports.js";

/** Why a key cannot name an object of a bucket, or undefined when it can. */
export function keyProblem(key: unknown): string | undefined {
  if (typeof key !== "string" || key === "") return "empty";
  if (key.includes("\0")) return "contains a NUL byte";
  if (key.includes("\\")) return "keys use / as separator";
  if (path.posix.isAbsolute(key) || path.win32.isAbsolute(key)) return "absolute path";
  if (key.split("/").some((s) => s === "" || s === "." || s === ".."))
    return "empty, '.' or '..' path segments are not allowed";
  return undefined;
}

/** Throws VALIDATION_FAILED for a key no object of the bucket at `url` can have. */
export function assertKey(url: string, key: string): void {
  const problem = keyProblem(key);
  if (problem !== undefined)
    throw new VersoError(
      "VALIDATION_FAILED",
      `bucket ${url}: refused key ${JSON.stringify(key)}: ${problem}`,
    );
}

/**
 * Whether a name is catalog data that a listing yields: a *.csv (any case). Hidden entries
 * anywhere in the path (".git/…", macOS "._x.csv" resource forks) are not. One that is, but
 * cannot be a key (see keyProblem), is listed as refused, so the catalog says why it is not read.
 */
export function isCatalogKey(key: string): boolean {
  const segments = key.split("/");
  return segments.every((s) => !s.startsWith(".")) && /\.csv$/i.test(segments[segments.length - 1] ?? "");
}

/** A listed entry the bucket will not read, with the reason, the same in every adapter. */
export function refusedEntry(key: string, reason: string, size = 0, modifiedAt = new Date(0)): BucketObject {
  return { key, etag: `refused:${reason}`, size, modifiedAt, refused: reason };
}

/** A catalog key that no object may have: listed as refused, with why. */
export function refusedKey(key: string): BucketObject | undefined {
  const problem = keyProblem(key);
  return problem === undefined ? undefined : refusedEntry(key, `its name cannot be a key: ${problem}`);
}

/** UTF-8 byte order of the whole key, as S3 lists: "a-b.csv" comes before "a/b.csv". */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}
