/**
 * A Subsonic server as a catalog source (VERSO_LIBRARY_URL=subsonic://user@host:port, the
 * password in VERSO_LIBRARY_PASSWORD; subsonics:// for HTTPS): an object per song the account
 * sees, keyed by the server's song id, its etag a digest of the song's tags, path, size and
 * date added, so a re-sync reads again only songs that changed; its lyrics from the server.
 *
 * A listing that fails midway (the server gone) fails the crawl before anything is removed, so
 * nothing is lost; songs keep their server ids, so nothing is doubled when the sync resumes. A
 * refused account fails the crawl at its first request with SUBSONIC_AUTH_FAILED.
 */
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import type { CsvRowEvent } from "../../core/catalog/csv.js";
import { isVersoError, VersoError } from "../../core/errors.js";
import type { BucketObject, SongReadOptions, SongSource } from "../../core/ports.js";
import { objectChanged, objectNotFound } from "../bucket/reads.js";
import {
  SubsonicClient,
  subsonicAccount,
  type SubsonicServerInfo,
  type SubsonicSong,
} from "../subsonic/client.js";
import { toLrc } from "../../core/catalog/timed-lyrics.js";
import { librarySongId, trackRowEvent, trackSongRow, type FoundLyrics } from "./track-song.js";

const keyPrefix = "songs/";
const PAGE_SIZE = 500;

/** The catalog source id of a Subsonic account: its URL without a password or a trailing slash. */
export function subsonicSource(url: string): string {
  const parsed = new URL(url);
  const user = parsed.username ? `${parsed.username}@` : "";
  return `${parsed.protocol}//${user}${parsed.host}${parsed.pathname.replace(/\/+$/, "")}`;
}

const songEtag = (song: SubsonicSong) =>
  createHash("sha256")
    .update(
      JSON.stringify([
        song.title,
        song.artists,
        song.album,
        song.year,
        song.genre,
        song.durationSeconds,
        song.path,
        song.size,
        song.created,
        song.musicBrainzId,
      ]),
    )
    .digest("hex")
    .slice(0, 40);

export function createSubsonicSource(url: string, password: string | undefined): SongSource {
  const account = subsonicAccount(url, password);
  const client = new SubsonicClient(account);
  const source = subsonicSource(url);
  /** The songs of the last listing, so a worker in this process asks the server only for lyrics. */
  let listed = new Map<string, SubsonicSong>();
  let info: SubsonicServerInfo | undefined;

  async function* list(): AsyncIterable<BucketObject> {
    info = await client.ping();
    const songs = new Map<string, SubsonicSong>();
    for await (const song of client.allSongs(PAGE_SIZE)) {
      // A server whose paging shifts while it is read lists a song twice: it is one object.
      if (songs.has(song.id)) continue;
      songs.set(song.id, song);
      yield {
        key: `${keyPrefix}${song.id}`,
        etag: songEtag(song),
        size: song.size ?? 0,
        modifiedAt: song.created ? new Date(song.created) : new Date(0),
      };
    }
    listed = songs;
  }

  function open(key: string): Promise<Readable> {
    return Promise.reject(
      new VersoError("VALIDATION_FAILED", `${source}: ${key} is a song of a music server, read by its tags`),
    );
  }

  async function songOf(key: string): Promise<SubsonicSong> {
    if (!key.startsWith(keyPrefix)) throw objectNotFound(source, key);
    const id = key.slice(keyPrefix.length);
    const known = listed.get(id);
    if (known) return known;
    try {
      return await client.song(id);
    } catch (error) {
      if (isVersoError(error) && error.code === "SUBSONIC_NOT_FOUND") throw objectNotFound(source, key);
      throw error;
    }
  }

  async function* readSongs(key: string, options: SongReadOptions): AsyncIterable<CsvRowEvent> {
    if (options.fromRow >= 1) return;
    const song = await songOf(key);
    if (options.etag !== undefined && songEtag(song) !== options.etag) throw objectChanged(source, key);
    info ??= await client.ping();
    const found = await client.lyrics(song);
    const lyrics: FoundLyrics | undefined = found
      ? { text: found.synced ? toLrc(found.synced) : found.text, from: "server" }
      : undefined;
    const webUrl =
      info.type?.toLowerCase() === "navidrome" && song.albumId
        ? new URL(`app/#/album/${encodeURIComponent(song.albumId)}/show`, account.baseUrl).href
        : undefined;
    const row = trackSongRow(
      librarySongId("s", source, song.id),
      { ...song, year: song.year, date: undefined },
      lyrics,
      {
        server: account.baseUrl.href,
        serverSongId: song.id,
        ...(song.path ? { path: song.path } : {}),
        ...(webUrl ? { webUrl } : {}),
        ...(song.musicBrainzId ? { musicBrainzRecordingId: song.musicBrainzId } : {}),
      },
    );
    yield trackRowEvent(row, options.size ?? song.size ?? 0);
  }

  return { url: source, list, open, readSongs };
}
