/**
 * A music folder as a catalog source (VERSO_LIBRARY_URL=file:///music), read-only: an object
 * per audio file (MP3, FLAC, Ogg, Opus, M4A/MP4, WAV, AIFF, WMA, APE, WavPack), its song read
 * from its tags by music-metadata, its lyrics from the tags (ID3 USLT/SYLT, Vorbis
 * LYRICS/UNSYNCEDLYRICS, MP4 ©lyr) or else from an .lrc, then a .txt file of the same name
 * beside it.
 *
 * The folder is walked as a folder bucket walks one (nothing outside it is read: a symbolic
 * link that leads out is listed as refused), with its etags: a content hash kept while size,
 * mtime, ctime and inode stay the same, so an unchanged library is listed again without
 * reading a file. A track's etag covers its lyrics files too: editing an .lrc reads the track
 * again. A file that cannot be read as audio fails alone, with why.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import type { Readable } from "node:stream";
import { parseStream } from "music-metadata";
import { UnreadableObjectError } from "../../core/catalog/unreadable.js";
import type { CsvRowEvent } from "../../core/catalog/csv.js";
import { VersoError } from "../../core/errors.js";
import type { BucketObject, OpenOptions, SongReadOptions, SongSource } from "../../core/ports.js";
import { createFolderBucket } from "../bucket/folder.js";
import { objectNotFound } from "../bucket/reads.js";
import {
  librarySongId,
  tagFacts,
  tagLyrics,
  trackRowEvent,
  trackSongRow,
  type FoundLyrics,
} from "./track-song.js";

const audioExtensions = new Set([
  ".mp3",
  ".flac",
  ".ogg",
  ".oga",
  ".opus",
  ".m4a",
  ".mp4",
  ".aac",
  ".wav",
  ".aif",
  ".aiff",
  ".wma",
  ".ape",
  ".wv",
]);
const lyricsExtensions = [".lrc", ".txt"] as const;
/** A lyrics file longer than this is not lyrics: it is left unread. */
const MAX_LYRICS_FILE_BYTES = 512 * 1024;

const extensionOf = (key: string) => path.posix.extname(key).toLowerCase();
const stemOf = (key: string) => key.slice(0, key.length - path.posix.extname(key).length);
const isHidden = (key: string) => key.split("/").some((segment) => segment.startsWith("."));
const isAudio = (key: string) => audioExtensions.has(extensionOf(key));
const isListed = (key: string) =>
  !isHidden(key) && (isAudio(key) || (lyricsExtensions as readonly string[]).includes(extensionOf(key)));

export interface MusicFolder extends SongSource {
  /** Files read to compute etags since it was made: a re-scan of an unchanged library adds none. */
  hashStats(): { files: number; bytes: number };
}

/** The catalog source id of a music folder: music+file:// and its absolute path. */
export const musicFolderSource = (folder: string) => `music+file://${path.resolve(folder)}`;

export function createMusicFolder(folder: string): MusicFolder {
  const root = path.resolve(folder);
  const url = musicFolderSource(root);
  const files = createFolderBucket(root, { lists: isListed });
  /** The lyrics files each track's etag covered when it was listed, by the track's key. */
  const sidecars = new Map<string, string[]>();

  async function* list(): AsyncIterable<BucketObject> {
    const entries = new Map<string, BucketObject>();
    for await (const entry of files.list()) entries.set(entry.key, entry);
    sidecars.clear();
    for (const entry of entries.values()) {
      if (!isAudio(entry.key)) continue;
      if (entry.refused !== undefined) {
        yield entry;
        continue;
      }
      const beside = lyricsExtensions.flatMap((extension) => {
        const found =
          entries.get(`${stemOf(entry.key)}${extension}`) ??
          entries.get(`${stemOf(entry.key)}${extension.toUpperCase()}`);
        return found && found.refused === undefined ? [found] : [];
      });
      sidecars.set(
        entry.key,
        beside.map((file) => file.key),
      );
      yield { ...entry, etag: trackEtag(entry.etag, beside) };
    }
  }

  /** The track's audio stream, checked against the audio part of its etag. */
  async function open(key: string, options?: OpenOptions): Promise<Readable> {
    if (!isAudio(key)) throw objectNotFound(url, key);
    const audioEtag = options?.etag?.split(".")[0];
    return files.open(key, { ...options, ...(audioEtag ? { etag: audioEtag } : {}) });
  }

  async function* readSongs(key: string, options: SongReadOptions): AsyncIterable<CsvRowEvent> {
    if (options.fromRow >= 1) return;
    const stream = await open(key, options.etag ? { etag: options.etag } : {});
    let metadata: Awaited<ReturnType<typeof parseStream>>;
    try {
      const info = { path: key, ...(options.size ? { size: options.size } : {}) };
      metadata = await parseStream(stream, info, { skipCovers: true });
    } catch (error) {
      if (error instanceof VersoError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new UnreadableObjectError(`${key} cannot be read as audio: ${reason}`);
    } finally {
      stream.destroy();
    }
    // Bytes that merely carry an audio file's name: no container, no codec, nothing to play.
    if (!metadata.format.container && !metadata.format.codec) {
      throw new UnreadableObjectError(`${key} cannot be read as audio: no audio stream found`);
    }
    const lyrics = tagLyrics(metadata) ?? (await besideLyrics(key));
    const title = path.posix.basename(stemOf(key));
    const song = trackSongRow(librarySongId("f", url, key), tagFacts(metadata, title), lyrics, {
      path: key,
      ...(metadata.common.musicbrainz_recordingid
        ? { musicBrainzRecordingId: metadata.common.musicbrainz_recordingid }
        : {}),
    });
    yield trackRowEvent(song, options.size ?? 0);
  }

  /** The lyrics of the first .lrc or .txt file beside the track that has any. */
  async function besideLyrics(key: string): Promise<FoundLyrics | undefined> {
    for (const file of sidecars.get(key) ?? (await lyricsFilesOf(key))) {
      const text = await readText(file);
      if (text?.trim()) return { text, from: extensionOf(file) === ".lrc" ? "lrc" : "txt" };
    }
    return undefined;
  }

  /** A worker that did not list the folder itself looks for the track's lyrics files now. */
  async function lyricsFilesOf(key: string): Promise<string[]> {
    const found: string[] = [];
    for (const extension of lyricsExtensions) {
      for (const candidate of [`${stemOf(key)}${extension}`, `${stemOf(key)}${extension.toUpperCase()}`]) {
        if ((await readText(candidate)) !== undefined) {
          found.push(candidate);
          break;
        }
      }
    }
    return found;
  }

  /** A lyrics file's text, read inside the folder only; undefined when it is gone, refused or too long. */
  async function readText(key: string): Promise<string | undefined> {
    let stream: Readable;
    try {
      stream = await files.open(key);
    } catch {
      return undefined;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > MAX_LYRICS_FILE_BYTES) return undefined;
        chunks.push(chunk);
      }
    } finally {
      stream.destroy();
    }
    return Buffer.concat(chunks)
      .toString("utf8")
      .replace(/^\uFEFF/, "");
  }

  return { url, list, open, readSongs, hashStats: () => files.hashStats() };
}

/** The track's own etag, with a digest of its lyrics files' etags after a dot when it has any. */
function trackEtag(audio: string, beside: readonly BucketObject[]): string {
  if (beside.length === 0) return audio;
  const digest = createHash("sha256");
  for (const file of beside) digest.update(`${file.key}\u0000${file.etag}\u0000`);
  return `${audio}.${digest.digest("hex").slice(0, 32)}`;
}
