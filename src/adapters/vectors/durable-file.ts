/**
 * Files that survive a crash, and the checks that tell a whole file from a damaged one. A write
 * is durable once its bytes are flushed (fsync); a replacement is atomic when it is written
 * under a temporary name, flushed, then renamed over the old file, with the directory flushed
 * so the rename itself survives.
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, rename, rm, stat } from "node:fs/promises";
import path from "node:path";

/** What a temporary file of `file` is named after, followed by random characters. */
export const temporaryPrefix = (file: string) => `${file}.tmp-`;

/** Writes the file and flushes it to the disk before resolving. */
export async function writeFileDurably(file: string, content: string): Promise<void> {
  const handle = await open(file, "w");
  try {
    await handle.writeFile(content, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a file written by other means (a native library) to the disk. */
export async function syncFile(file: string): Promise<void> {
  const handle = await open(file, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces the file in one step: a crash leaves either the old content or the new, never a mix. */
export async function writeFileAtomically(file: string, content: string): Promise<void> {
  const temp = `${temporaryPrefix(file)}${randomBytes(4).toString("hex")}`;
  await writeFileDurably(temp, content);
  try {
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  // The rename itself is durable only once the directory entry is flushed.
  try {
    const dir = await open(path.dirname(file), "r");
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename is still atomic there.
  }
}

/** The SHA-256 of a file, read in chunks (a snapshot may be large). */
export async function fileSha256(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Throws unless the file has the length and SHA-256 recorded for it. */
export async function verifyFile(file: string, bytes: number, checksum: string): Promise<void> {
  const { size } = await stat(file);
  if (size !== bytes) throw new Error(`${path.basename(file)}: ${size} bytes instead of ${bytes}`);
  if ((await fileSha256(file)) !== checksum) throw new Error(`${path.basename(file)}: checksum mismatch`);
}

/** The SHA-256 of content held in memory (text as UTF-8). */
export function sha256Of(content: Buffer | string): string {
  return createHash("sha256").update(content).digest("hex");
}

/** Throws unless the content read from `name` has the length and SHA-256 recorded for it. */
export function verifyBytes(name: string, content: Buffer, bytes: number, checksum: string): void {
  if (content.length !== bytes) throw new Error(`${name}: ${content.length} bytes instead of ${bytes}`);
  if (sha256Of(content) !== checksum) throw new Error(`${name}: checksum mismatch`);
}

export function isNotFound(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "ENOENT";
}
