/**
 * Bucket port, embedded: a folder of CSV files. Keys are POSIX paths relative to the folder;
 * the etag is a SHA-256 of the content, so a file that is touched or copied over with the same
 * bytes is not a change, while any edit is.
 *
 * Given a single file, the bucket is that file's folder narrowed to that one key: ingesting
 * `dir/songs.csv` and later `dir` then name the same catalog object, and an unchanged file is
 * not ingested twice.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import type { Bucket, BucketObject } from "../../core/ports.js";

export interface FolderBucket extends Bucket {
  /** Files read to compute etags since the bucket was made: a re-crawl of an unchanged folder adds none. */
  hashStats(): { files: number; bytes: number };
}

interface Fingerprint {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

const HASH_ATTEMPTS = 3;
/** The coarsest timestamp granularity of a common file system (FAT: 2 s). */
export const RACY_MS = 2000;

export function createFolderBucket(location: string): FolderBucket {
  const target = path.resolve(location);
  const single = isFile(target);
  const root = single ? path.dirname(target) : target;
  const only = single ? path.basename(target) : undefined;
  const url = `file://${root}`;

  // The mtime alone can miss an edit that keeps the size within the clock's resolution; the
  // change time and inode move on every write and on a replace-by-rename, so they are part of
  // the key too. A miss costs one read of the file, never a wrong etag.
  const etags = new Map<string, Fingerprint & { etag: string }>();
  const reads = { files: 0, bytes: 0 };

  async function etagOf(file: string, stat: fs.Stats): Promise<{ etag: string; stat: fs.Stats }> {
    let before = stat;
    for (let attempt = 1; ; attempt++) {
      const cached = etags.get(file);
      if (cached && sameFile(cached, before)) return { etag: cached.etag, stat: before };
      const startedAt = Date.now();
      const etag = await sha256(file);
      reads.files += 1;
      reads.bytes += before.size;
      const after = await fs.promises.stat(file);
      // A file still being written gives a hash of a passing state: not cached, so the next
      // crawl hashes it again and sees the final content as a change.
      if (sameFile(fingerprint(before), after)) {
        // A write within the file system's timestamp granularity of this hash would leave
        // size, mtime and ctime as they are (git's "racy clean" case); until the file is
        // older than that, it is hashed again rather than trusted.
        if (after.ctimeMs < startedAt - RACY_MS && after.mtimeMs < startedAt - RACY_MS) {
          etags.set(file, { ...fingerprint(after), etag });
        }
        return { etag, stat: after };
      }
      if (attempt >= HASH_ATTEMPTS) return { etag, stat: after };
      before = after;
    }
  }

  async function* list(): AsyncIterable<BucketObject> {
    const rootStat = await statOrNull(root);
    if (!rootStat?.isDirectory()) throw new Error(`bucket ${url}: no such folder`);
    const files = only === undefined ? await walk(root) : [only];
    files.sort(compareKeys);
    const seen = new Set<string>();
    for (const key of files) {
      const file = path.join(root, ...key.split("/"));
      const stat = await statOrNull(file);
      // Gone since the walk: it is simply not there any more.
      if (!stat?.isFile()) {
        if (only !== undefined) throw new Error(`bucket ${url}: no such file ${JSON.stringify(only)}`);
        continue;
      }
      seen.add(file);
      let content: Awaited<ReturnType<typeof etagOf>>;
      try {
        content = await etagOf(file, stat);
      } catch (error) {
        if (only === undefined && isErrno(error, "ENOENT")) continue;
        throw error;
      }
      const { etag, stat: current } = content;
      yield { key, etag, size: current.size, modifiedAt: new Date(current.mtimeMs) };
    }
    // Forget files that are gone so a folder with churn does not grow the cache for ever.
    if (only === undefined) for (const file of etags.keys()) if (!seen.has(file)) etags.delete(file);
  }

  async function open(key: string): Promise<Readable> {
    const file = resolveKey(root, key, url);
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(file, "r");
    } catch (error) {
      if (isErrno(error, "ENOENT") || isErrno(error, "ENOTDIR")) throw notFound(url, key, error);
      throw error;
    }
    // Opening first makes a missing object reject here, not later as a stream error.
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw notFound(url, key);
    } catch (error) {
      await handle.close();
      throw error;
    }
    return handle.createReadStream({ highWaterMark: 1 << 20 });
  }

  return { url, list, open, hashStats: () => ({ ...reads }) };
}

/**
 * Every *.csv under root, as POSIX keys. Hidden entries (".git", macOS "._x.csv" resource
 * forks) are not catalog data. Symbolic links to directories are not followed, so a link
 * loop cannot make the crawl endless; links to files are listed like files.
 */
async function walk(root: string): Promise<string[]> {
  const keys: string[] = [];
  const pending: string[] = [""];
  while (pending.length > 0) {
    const prefix = pending.pop() as string;
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(path.join(root, ...prefix.split("/")), { withFileTypes: true });
    } catch (error) {
      // A subfolder removed during the walk holds nothing to list.
      if (prefix !== "" && isErrno(error, "ENOENT")) continue;
      throw error;
    }
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const key = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) pending.push(key);
      else if ((entry.isFile() || entry.isSymbolicLink()) && /\.csv$/i.test(entry.name)) keys.push(key);
    }
  }
  return keys;
}

/** The file behind a key, refusing anything that could name a file outside the folder. */
function resolveKey(root: string, key: string, url: string): string {
  const refuse = (why: string) => new Error(`bucket ${url}: refused key ${JSON.stringify(key)}: ${why}`);
  if (typeof key !== "string" || key === "") throw refuse("empty");
  if (key.includes("\0")) throw refuse("contains a NUL byte");
  if (key.includes("\\")) throw refuse("keys use / as separator");
  if (path.posix.isAbsolute(key) || path.win32.isAbsolute(key)) throw refuse("absolute path");
  const segments = key.split("/");
  if (segments.some((s) => s === "" || s === "." || s === ".."))
    throw refuse("empty, '.' or '..' path segments are not allowed");
  const file = path.join(root, ...segments);
  const relative = path.relative(root, file);
  if (relative.startsWith("..") || path.isAbsolute(relative)) throw refuse("outside the bucket");
  return file;
}

async function sha256(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 }))
    hash.update(chunk as Buffer);
  return hash.digest("hex");
}

function fingerprint(stat: fs.Stats): Fingerprint {
  return { size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino };
}

function sameFile(known: Fingerprint, stat: fs.Stats): boolean {
  return (
    known.size === stat.size &&
    known.mtimeMs === stat.mtimeMs &&
    known.ctimeMs === stat.ctimeMs &&
    known.ino === stat.ino
  );
}

/** UTF-8 byte order of the whole key, as S3 lists: "a-b.csv" comes before "a/b.csv". */
function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    // Missing for now: a folder that may be created before the first crawl.
    return false;
  }
}

async function statOrNull(file: string): Promise<fs.Stats | null> {
  try {
    return await fs.promises.stat(file);
  } catch (error) {
    if (isErrno(error, "ENOENT") || isErrno(error, "ENOTDIR")) return null;
    throw error;
  }
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

function notFound(url: string, key: string, cause?: unknown): Error {
  // ENOENT is what callers already test for a missing file; the message names the bucket and key.
  return Object.assign(new Error(`bucket ${url} has no object ${JSON.stringify(key)}`, { cause }), {
    code: "ENOENT",
  });
}
