/**
 * Bucket port, embedded: a folder of CSV files. Keys are POSIX paths relative to the folder;
 * the etag is a SHA-256 of the content, so a file that is touched or copied over with the same
 * bytes is not a change, while any edit is.
 *
 * Given a single file, the bucket is that file's folder narrowed to that one key: ingesting
 * `dir/songs.csv` and later `dir` then name the same catalog object, and an unchanged file is
 * not ingested twice.
 *
 * Nothing outside the folder is ever read, whatever a symbolic link says: a link to a file
 * inside is read like the file, one that leads outside (or nowhere) is listed as refused and
 * never opened, and every open checks where the path really leads before and after opening.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { VersoError } from "../../core/errors.js";
import type { Bucket, BucketObject, KnownObject, ListOptions, OpenOptions } from "../../core/ports.js";
import { assertKey, compareKeys, isCatalogKey, refusedEntry, refusedKey } from "./keys.js";
import { objectChanged, objectNotFound, readRequest, startBeyondEnd } from "./reads.js";

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

export interface FolderBucketOptions {
  /** Which files are objects, by key (default: *.csv, no hidden entries; see isCatalogKey). */
  lists?: (key: string) => boolean;
}

export function createFolderBucket(location: string, options: FolderBucketOptions = {}): FolderBucket {
  const lists = options.lists ?? isCatalogKey;
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

  /**
   * The etag of a file's content and the stat it holds for; `stable` is false when the file
   * kept changing while it was hashed, so the etag may belong to no version that ever existed.
   */
  async function etagOf(
    file: string,
    stat: fs.Stats,
    content: { hash(): Promise<string>; stat(): Promise<fs.Stats>; known?: KnownObject | undefined },
  ): Promise<{ etag: string; stat: fs.Stats; stable: boolean }> {
    let before = stat;
    for (let attempt = 1; ; attempt++) {
      const cached = etags.get(file);
      if (cached && sameFile(cached, before)) return { etag: cached.etag, stat: before, stable: true };
      // What the catalog recorded at the last listing, when size and mtime are still those and
      // the file is older than the racy window: trusted, and known from now on in this process.
      const { known } = content;
      if (
        known !== undefined &&
        known.size === before.size &&
        Date.parse(known.modifiedAt) === Math.floor(before.mtimeMs) &&
        before.mtimeMs < Date.now() - RACY_MS &&
        before.ctimeMs < Date.now() - RACY_MS
      ) {
        etags.set(file, { ...fingerprint(before), etag: known.etag });
        return { etag: known.etag, stat: before, stable: true };
      }
      const startedAt = Date.now();
      const etag = await content.hash();
      reads.files += 1;
      reads.bytes += before.size;
      const after = await content.stat();
      // A file still being written gives a hash of a passing state: not cached, so the next
      // crawl hashes it again and sees the final content as a change.
      if (sameFile(fingerprint(before), after)) {
        // A write within the file system's timestamp granularity of this hash would leave
        // size, mtime and ctime as they are (git's "racy clean" case); until the file is
        // older than that, it is hashed again rather than trusted.
        if (after.ctimeMs < startedAt - RACY_MS && after.mtimeMs < startedAt - RACY_MS) {
          etags.set(file, { ...fingerprint(after), etag });
        }
        return { etag, stat: after, stable: true };
      }
      if (attempt >= HASH_ATTEMPTS) return { etag, stat: after, stable: false };
      before = after;
    }
  }

  async function* list(options: ListOptions = {}): AsyncIterable<BucketObject> {
    const rootStat = await statOrNull(root);
    if (!rootStat?.isDirectory()) throw new Error(`bucket ${url}: no such folder`);
    const entries = only === undefined ? await walk(root, lists) : [{ key: only }];
    entries.sort((a, b) => compareKeys(a.key, b.key));
    const realRoot = await fs.promises.realpath(root);
    const seen = new Set<string>();
    for (const entry of entries) {
      if (entry.refused !== undefined) {
        yield entry.refused;
        continue;
      }
      const { key } = entry;
      const file = path.join(root, ...key.split("/"));
      const outside = await leadsOutside(realRoot, file);
      if (outside !== undefined) {
        yield refusedEntry(key, outside);
        continue;
      }
      const stat = await statOrNull(file);
      // Gone since the walk: it is simply not there any more.
      if (!stat?.isFile()) {
        if (only !== undefined) throw new Error(`bucket ${url}: no such file ${JSON.stringify(only)}`);
        continue;
      }
      seen.add(file);
      let content: Awaited<ReturnType<typeof etagOf>>;
      try {
        content = await etagOf(file, stat, {
          known: options.known?.get(key),
          hash: () => withFile(openInside(root, file, { notFound: gone, outside: gone }), sha256),
          stat: () => fs.promises.stat(file),
        });
      } catch (error) {
        if (only === undefined && (isErrno(error, "ENOENT") || error === GONE)) continue;
        throw error;
      }
      const { etag, stat: current } = content;
      yield { key, etag, size: current.size, modifiedAt: new Date(current.mtimeMs) };
    }
    // Forget files that are gone so a folder with churn does not grow the cache for ever.
    if (only === undefined) for (const file of etags.keys()) if (!seen.has(file)) etags.delete(file);
  }

  async function open(key: string, options?: OpenOptions): Promise<Readable> {
    const file = resolveKey(root, key, url);
    const { etag, start } = readRequest(url, key, options);
    const handle = await openInside(root, file, {
      notFound: () => objectNotFound(url, key),
      outside: (why) =>
        new VersoError("VALIDATION_FAILED", `bucket ${url}: refused key ${JSON.stringify(key)}: ${why}`),
    });
    // Everything below reads through this handle, so a file replaced by a rename meanwhile is
    // neither hashed nor streamed: the open file is the one version that is checked and read.
    try {
      let version = await handle.stat();
      if (!version.isFile()) throw objectNotFound(url, key);
      if (etag !== undefined) {
        const current = await etagOf(file, version, {
          hash: () => sha256(handle),
          stat: () => handle.stat(),
        });
        if (!current.stable || current.etag !== etag) throw objectChanged(url, key);
        version = current.stat;
      }
      if (start > version.size) throw startBeyondEnd(url, key, start, version.size);
      return new FileVersionStream(handle, start, version, () => objectChanged(url, key));
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  return { url, list, open, hashStats: () => ({ ...reads }) };
}

interface WalkEntry {
  key: string;
  /** Set for an entry listed as refused: a name that cannot be a key. */
  refused?: BucketObject;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
const lossyUtf8 = new TextDecoder("utf-8");

/**
 * Every file under root that `lists` takes (*.csv by default), as POSIX keys. Hidden entries (".git", macOS "._x.csv" resource
 * forks) are not catalog data. Symbolic links to directories are not followed, so a link loop
 * cannot make the crawl endless and no folder outside is walked; links to files are listed like
 * files (where they lead is checked by the listing). A name that is not UTF-8, or that cannot
 * be a key, is listed as refused.
 */
async function walk(root: string, lists: (key: string) => boolean): Promise<WalkEntry[]> {
  const entries: WalkEntry[] = [];
  const pending: string[] = [""];
  while (pending.length > 0) {
    const prefix = pending.pop() as string;
    let dirents: fs.Dirent<Buffer>[];
    try {
      dirents = await fs.promises.readdir(path.join(root, ...prefix.split("/")), {
        withFileTypes: true,
        encoding: "buffer",
      });
    } catch (error) {
      // A subfolder removed during the walk holds nothing to list.
      if (prefix !== "" && isErrno(error, "ENOENT")) continue;
      throw error;
    }
    for (const dirent of dirents) {
      const name = lossyUtf8.decode(dirent.name);
      if (name.startsWith(".")) continue;
      const key = prefix === "" ? name : `${prefix}/${name}`;
      if (dirent.isDirectory()) {
        if (isUtf8(dirent.name)) pending.push(key);
        continue;
      }
      if (!(dirent.isFile() || dirent.isSymbolicLink()) || !lists(key)) continue;
      const refused = isUtf8(dirent.name)
        ? refusedKey(key)
        : refusedEntry(key, "its name is not valid UTF-8: rename the file");
      entries.push(refused ? { key, refused } : { key });
    }
  }
  return entries;
}

function isUtf8(name: Buffer): boolean {
  try {
    utf8.decode(name);
    return true;
  } catch {
    return false;
  }
}

/** Why a path leads outside the folder (through a symbolic link), or undefined when it does not. */
async function leadsOutside(realRoot: string, file: string): Promise<string | undefined> {
  let real: string;
  try {
    real = await fs.promises.realpath(file);
  } catch (error) {
    if (isErrno(error, "ENOENT") || isErrno(error, "ENOTDIR")) {
      const link = await fs.promises.lstat(file).catch(() => null);
      return link?.isSymbolicLink() ? "a symbolic link to nothing: not read" : undefined;
    }
    if (isErrno(error, "ELOOP")) return "a loop of symbolic links: not read";
    throw error;
  }
  const relative = path.relative(realRoot, real);
  return relative === "" || relative.startsWith("..") || path.isAbsolute(relative)
    ? "a symbolic link to a file outside the bucket: not read"
    : undefined;
}

/**
 * Opens a file of the folder for reading, never one outside it: where the path really leads is
 * checked before opening, the last step is opened without following a link, and the file opened
 * must be the one checked (a path swapped for a link meanwhile fails the comparison).
 */
async function openInside(
  root: string,
  file: string,
  errors: { notFound: () => Error; outside: (why: string) => Error },
): Promise<fs.promises.FileHandle> {
  const realRoot = await fs.promises.realpath(root);
  const outside = await leadsOutside(realRoot, file);
  if (outside !== undefined) throw errors.outside(outside);
  let handle: fs.promises.FileHandle;
  let real: string;
  try {
    real = await fs.promises.realpath(file);
    handle = await fs.promises.open(real, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch (error) {
    if (isErrno(error, "ENOENT") || isErrno(error, "ENOTDIR")) throw errors.notFound();
    if (isErrno(error, "ELOOP")) throw errors.outside("a symbolic link changed while it was opened");
    throw error;
  }
  try {
    const [opened, now] = await Promise.all([handle.stat(), fs.promises.stat(real)]);
    const again = await leadsOutside(realRoot, real);
    if (again !== undefined || opened.ino !== now.ino || opened.dev !== now.dev)
      throw errors.outside("the file changed into a link while it was opened");
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** The file behind a key, refusing anything that could name a file outside the folder. */
function resolveKey(root: string, key: string, url: string): string {
  assertKey(url, key);
  const file = path.join(root, ...key.split("/"));
  const relative = path.relative(root, file);
  if (relative.startsWith("..") || path.isAbsolute(relative))
    throw new VersoError(
      "VALIDATION_FAILED",
      `bucket ${url}: refused key ${JSON.stringify(key)}: outside the bucket`,
    );
  return file;
}

/**
 * Bytes from `start` to the end of one version of a file. A file edited in place while it is
 * read would mix two versions, so the stream fails with OBJECT_CHANGED instead of ending when
 * the file no longer has the size, times and inode it was opened with.
 */
class FileVersionStream extends Readable {
  private position: number;

  constructor(
    private readonly handle: fs.promises.FileHandle,
    start: number,
    private readonly version: fs.Stats,
    private readonly changed: () => Error,
  ) {
    // 64 KiB at a time: the CSV parser takes each chunk whole, on the thread that answers
    // requests; a 1 MiB chunk held it for up to 450 ms on a loaded machine.
    super({ highWaterMark: 64 << 10 });
    this.position = start;
  }

  override _read(size: number): void {
    const length = Math.min(size, this.version.size - this.position);
    const next = length > 0 ? this.readChunk(length) : this.handle.stat().then((now) => this.finish(now));
    next.catch((error: unknown) => this.destroy(error as Error));
  }

  private async readChunk(length: number): Promise<void> {
    const { bytesRead, buffer } = await this.handle.read(
      Buffer.allocUnsafe(length),
      0,
      length,
      this.position,
    );
    // Shorter than the size it was opened with: it was truncated under us.
    if (bytesRead === 0) return void this.destroy(this.changed());
    this.position += bytesRead;
    this.push(buffer.subarray(0, bytesRead));
  }

  private finish(now: fs.Stats): void {
    if (unchangedWhileOpen(this.version, now)) this.push(null);
    else this.destroy(this.changed());
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.handle.close().then(
      () => callback(error),
      (closeError: Error) => callback(error ?? closeError),
    );
  }
}

/** A file that went away, or turned into a link outside, between the walk and its hashing: not listed. */
const GONE = new Error("gone since it was listed");
const gone = () => GONE;

async function withFile<T>(
  opening: Promise<fs.promises.FileHandle>,
  use: (handle: fs.promises.FileHandle) => Promise<T>,
): Promise<T> {
  const handle = await opening;
  try {
    return await use(handle);
  } finally {
    await handle.close();
  }
}

async function sha256(handle: fs.promises.FileHandle): Promise<string> {
  const hash = createHash("sha256");
  const buffer = Buffer.allocUnsafe(1 << 20);
  for (let position = 0; ;) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) return hash.digest("hex");
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
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

/**
 * Whether an open file kept its content. Its change time also moves when it loses a name (a
 * replace-by-rename unlinks it), which leaves the open version whole: only a change time that
 * moved with the link count unchanged, or a new size or modification time, is an edit.
 */
function unchangedWhileOpen(opened: fs.Stats, now: fs.Stats): boolean {
  return (
    opened.size === now.size &&
    opened.mtimeMs === now.mtimeMs &&
    (opened.ctimeMs === now.ctimeMs || opened.nlink !== now.nlink)
  );
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
