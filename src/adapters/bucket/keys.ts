/**
 * The key rules every bucket adapter shares, so that the same files in a folder or under an S3
 * prefix list as the same keys in the same order, and a key one adapter refuses the other
 * refuses too.
 */
import path from "node:path";
import { VersoError } from "../../core/errors.js";

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
 * Whether a key is catalog data that a listing yields: a *.csv (any case) that can be opened.
 * Hidden entries anywhere in the path (".git/…", macOS "._x.csv" resource forks) are not.
 */
export function isCatalogKey(key: string): boolean {
  if (keyProblem(key) !== undefined) return false;
  const segments = key.split("/");
  return segments.every((s) => !s.startsWith(".")) && /\.csv$/i.test(segments[segments.length - 1] ?? "");
}

/** UTF-8 byte order of the whole key, as S3 lists: "a-b.csv" comes before "a/b.csv". */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}
