/**
 * A client of the Subsonic API (Navidrome, Airsonic, Gonic, Supysonic… and the OpenSubsonic
 * extensions), for a music server that is a catalog source and a place to save playlists.
 *
 * Authentication is the API's token (md5 of the password and a fresh salt per request); a
 * server older than API 1.13 knows only the password itself, sent hex-encoded ("enc:…"), and
 * gets that instead. Neither the password nor a token ever appears in an error message: only
 * the server's address (without credentials) and the API method are named.
 *
 * Errors: a refused account is VersoError SUBSONIC_AUTH_FAILED (retrying does not help, so the
 * caller must not retry it); an item the server does not have is SUBSONIC_NOT_FOUND; any other
 * answer of the server in error is SUBSONIC_REQUEST_FAILED;
 * a server that cannot be reached or does not answer in time is DEPENDENCY_UNAVAILABLE.
 */
import { createHash, randomBytes } from "node:crypto";
import { VersoError } from "../../core/errors.js";
import { networkReason } from "../network-reason.js";
import {
  asList,
  asRecord,
  integer,
  parseJson,
  playlistOf,
  songOf,
  text,
  type Json,
  type SubsonicPlaylist,
  type SubsonicSong,
} from "./answers.js";

export type { SubsonicPlaylist, SubsonicSong } from "./answers.js";

export interface SubsonicAccount {
  /** The server's API root without credentials, e.g. "http://music.local:4533/". */
  baseUrl: URL;
  username: string;
  password: string;
}

/**
 * subsonic://user@host:port/path (subsonics:// for HTTPS) and the password from its own
 * setting. A password inside the URL is refused: URLs end up in logs.
 */
export function subsonicAccount(url: string, password: string | undefined): SubsonicAccount {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new VersoError("VALIDATION_FAILED", "the Subsonic server's URL cannot be read");
  }
  const scheme = { "subsonic:": "http:", "subsonics:": "https:" }[parsed.protocol];
  if (!scheme)
    throw new VersoError("VALIDATION_FAILED", "a Subsonic URL starts with subsonic:// or subsonics://");
  if (parsed.password) {
    throw new VersoError(
      "VALIDATION_FAILED",
      "a Subsonic URL carries no password: give it in VERSO_LIBRARY_PASSWORD instead",
    );
  }
  const username = decodeURIComponent(parsed.username);
  if (!username)
    throw new VersoError("VALIDATION_FAILED", "a Subsonic URL names its user: subsonic://user@host:port");
  if (!password) {
    throw new VersoError(
      "VALIDATION_FAILED",
      `the Subsonic account ${username} needs VERSO_LIBRARY_PASSWORD`,
    );
  }
  const path = parsed.pathname.endsWith("/") ? parsed.pathname : `${parsed.pathname}/`;
  const baseUrl = new URL(`${scheme}//${parsed.host}${path}`);
  return { baseUrl, username, password };
}

export interface SubsonicServerInfo {
  /** The API version the server speaks, e.g. "1.16.1". */
  apiVersion: string;
  /** Its name when it declares one (OpenSubsonic servers do), e.g. "navidrome". */
  type?: string;
  /** OpenSubsonic extensions it declares, by name. */
  extensions: ReadonlySet<string>;
}

export interface SubsonicLyrics {
  /** The lyrics as plain text, one line per line. */
  text: string;
  /** Lines with their start in milliseconds, when the server has them synced. */
  synced?: { startMs: number; text: string }[];
}

export interface PlaylistUpdate {
  name?: string;
  comment?: string;
  public?: boolean;
  songIdsToAdd?: readonly string[];
  /** Positions (from 0) of the entries to take out, as they are before the update. */
  songIndexesToRemove?: readonly number[];
}

export interface SubsonicClientOptions {
  /** The client name the server records ("c"). */
  clientName?: string;
  /** Longest wait for one answer. */
  timeoutMs?: number;
  /** Longest answer read, in bytes. */
  maxResponseBytes?: number;
}

type Params = Record<string, string | number | boolean | readonly (string | number)[] | undefined>;

const requestedVersion = "1.16.1";
/** Subsonic error codes: 40 wrong credentials, 41 token authentication not supported, 10 missing parameter. */
const wrongCredentials = 40;
const notFound = 70;
const tokenUnsupported = new Set([41, 42]);

/** Whether API version a is at least b ("1.13.0" against "1.10.2"). */
export function versionAtLeast(a: string, b: string): boolean {
  const left = a.split(".").map(Number);
  const right = b.split(".").map(Number);
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference > 0;
  }
  return true;
}

export class SubsonicClient {
  private readonly clientName: string;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  /** Decided by the first exchange: the token where the server takes it, else the password. */
  private auth: "token" | "password" | undefined;
  private info: SubsonicServerInfo | undefined;

  constructor(
    readonly account: SubsonicAccount,
    options: SubsonicClientOptions = {},
  ) {
    this.clientName = options.clientName ?? "verso";
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxResponseBytes = options.maxResponseBytes ?? 64 * 1024 * 1024;
  }

  /** The server's address for messages and links: never with credentials. */
  get server(): string {
    return this.account.baseUrl.href;
  }

  /** Checks the account, decides how to authenticate, and tells what the server declares. */
  async ping(): Promise<SubsonicServerInfo> {
    const body = await this.call("ping", {});
    const extensions = new Set<string>();
    if (body.openSubsonic === true) {
      const declared = await this.call("getOpenSubsonicExtensions", {}).catch(() => ({}) as Json);
      for (const extension of asList(declared.openSubsonicExtensions)) {
        const name = text(extension.name);
        if (name) extensions.add(name);
      }
    }
    this.info = {
      apiVersion: text(body.version) ?? "0",
      ...(text(body.type) ? { type: text(body.type) } : {}),
      extensions,
    };
    return this.info;
  }

  /** One page of every song the account sees (an empty search), in the server's order. */
  async songs(offset: number, count: number): Promise<SubsonicSong[]> {
    const body = await this.call("search3", {
      query: "",
      artistCount: 0,
      albumCount: 0,
      songCount: count,
      songOffset: offset,
    });
    return asList(asRecord(body.searchResult3)?.song).flatMap((song) => songOf(song) ?? []);
  }

  /** One song by its id (VersoError SUBSONIC_REQUEST_FAILED when the server has no such song). */
  async song(id: string): Promise<SubsonicSong> {
    const body = await this.call("getSong", { id });
    const found = asRecord(body.song);
    const song = found ? songOf(found) : undefined;
    if (!song) throw this.failure("getSong", "the server's answer holds no song");
    return song;
  }

  /** Every song, a page at a time. */
  async *allSongs(pageSize = 500): AsyncGenerator<SubsonicSong> {
    for (let offset = 0; ; offset += pageSize) {
      const page = await this.songs(offset, pageSize);
      yield* page;
      if (page.length < pageSize) return;
    }
  }

  /**
   * A song's lyrics, or undefined when the server has none: by its id where the server declares
   * OpenSubsonic songLyrics, else by artist and title (getLyrics), kept only when the answer is
   * for this title and artist (servers match those loosely).
   */
  async lyrics(song: Pick<SubsonicSong, "id" | "title" | "artists">): Promise<SubsonicLyrics | undefined> {
    const info = this.info ?? (await this.ping());
    if (info.extensions.has("songLyrics")) return this.lyricsById(song.id);
    const artist = song.artists[0] ?? "";
    const body = await this.call("getLyrics", { artist, title: song.title });
    const found = asRecord(body.lyrics);
    const value = text(found?.value) ?? text(found?.$) ?? "";
    if (!found || !value.trim()) return undefined;
    const same = (a: unknown, b: string) => a === undefined || text(a)?.toLowerCase() === b.toLowerCase();
    if (!same(found.title, song.title) || !same(found.artist, artist)) return undefined;
    return { text: value.replace(/\r\n?/g, "\n").trim() };
  }

  private async lyricsById(id: string): Promise<SubsonicLyrics | undefined> {
    const body = await this.call("getLyricsBySongId", { id });
    const structured = asList(asRecord(body.lyricsList)?.structuredLyrics);
    const chosen = structured.find((entry) => entry.synced === true) ?? structured[0];
    if (!chosen) return undefined;
    const lines = asList(chosen.line).map((line) => ({
      start: integer(line.start),
      text: text(line.value) ?? "",
    }));
    const plain = lines
      .map((line) => line.text)
      .join("\n")
      .trim();
    if (!plain) return undefined;
    const synced =
      chosen.synced === true && lines.every((line) => line.start !== undefined)
        ? lines.map((line) => ({ startMs: line.start ?? 0, text: line.text }))
        : undefined;
    return { text: plain, ...(synced ? { synced } : {}) };
  }

  /** The account's playlists (and the public ones it sees). */
  async getPlaylists(): Promise<SubsonicPlaylist[]> {
    const body = await this.call("getPlaylists", {});
    return asList(asRecord(body.playlists)?.playlist).flatMap((entry) => playlistOf(entry) ?? []);
  }

  /** One playlist with its songs' ids, in order. */
  async getPlaylist(id: string): Promise<SubsonicPlaylist & { songIds: string[] }> {
    const body = await this.call("getPlaylist", { id });
    const entry = asRecord(body.playlist);
    const playlist = entry ? playlistOf(entry) : undefined;
    if (!entry || !playlist) throw this.failure("getPlaylist", "the server's answer holds no playlist");
    return { ...playlist, songIds: asList(entry.entry).flatMap((song) => text(song.id) ?? []) };
  }

  /**
   * Makes a playlist of these songs, in order, and answers its id. Servers before API 1.14
   * answer nothing: the playlist is then found by name among the account's own, newest last.
   */
  async createPlaylist(name: string, songIds: readonly string[]): Promise<string> {
    const body = await this.call("createPlaylist", { name, songId: songIds });
    const created = text(asRecord(body.playlist)?.id);
    if (created) return created;
    const mine = (await this.getPlaylists()).filter(
      (playlist) =>
        playlist.name === name && (playlist.owner ?? this.account.username) === this.account.username,
    );
    const last = mine.at(-1);
    if (!last) throw this.failure("createPlaylist", "the new playlist is not among the account's playlists");
    return last.id;
  }

  /** Replaces a playlist's songs with these, in order (createPlaylist with its id). */
  async replacePlaylistSongs(id: string, songIds: readonly string[]): Promise<void> {
    await this.call("createPlaylist", { playlistId: id, songId: songIds });
  }

  async updatePlaylist(id: string, update: PlaylistUpdate): Promise<void> {
    await this.call("updatePlaylist", {
      playlistId: id,
      name: update.name,
      comment: update.comment,
      public: update.public,
      songIdToAdd: update.songIdsToAdd,
      songIndexToRemove: update.songIndexesToRemove,
    });
  }

  async deletePlaylist(id: string): Promise<void> {
    await this.call("deletePlaylist", { id });
  }

  /**
   * Calls one API method and answers the body of its `subsonic-response`. The first call also
   * settles the authentication: a server that refuses the token for want of support gets the
   * password instead, once; a refused account fails at once, without retrying.
   */
  private async call(method: string, params: Params): Promise<Json> {
    const mode = this.auth ?? "token";
    const body = await this.exchange(method, params, mode);
    const error = asRecord(body.error);
    if (error && this.auth === undefined && mode === "token" && this.tokenRefused(body, error)) {
      this.auth = "password";
      return this.call(method, params);
    }
    if (error) {
      const code = integer(error.code);
      const message = text(error.message) ?? "no message";
      if (code === wrongCredentials || code === 41 || code === 50) {
        throw new VersoError(
          "SUBSONIC_AUTH_FAILED",
          `the Subsonic server ${this.server} refused the account ${this.account.username} (${code}: ${message})`,
        );
      }
      if (code === notFound) {
        throw new VersoError(
          "SUBSONIC_NOT_FOUND",
          `the Subsonic server ${this.server} has no such item (${method}: ${message})`,
        );
      }
      throw this.failure(method, `error ${code ?? "?"}: ${message}`);
    }
    this.auth ??= mode;
    return body;
  }

  /** A token refused because the server does not take tokens (41, or 10 from a server before API 1.13). */
  private tokenRefused(body: Json, error: Json): boolean {
    const code = integer(error.code);
    if (code !== undefined && tokenUnsupported.has(code)) return true;
    return code === 10 && !versionAtLeast(text(body.version) ?? "0", "1.13.0");
  }

  private async exchange(method: string, params: Params, mode: "token" | "password"): Promise<Json> {
    const url = new URL(`rest/${method}.view`, this.account.baseUrl);
    const query = url.searchParams;
    query.set("u", this.account.username);
    if (mode === "token") {
      const salt = randomBytes(8).toString("hex");
      query.set(
        "t",
        createHash("md5")
          .update(this.account.password + salt)
          .digest("hex"),
      );
      query.set("s", salt);
    } else {
      query.set("p", `enc:${Buffer.from(this.account.password, "utf8").toString("hex")}`);
    }
    query.set("v", requestedVersion);
    query.set("c", this.clientName);
    query.set("f", "json");
    for (const [name, value] of Object.entries(params)) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) query.append(name, String(item));
    }
    let response: Response;
    let raw: string;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs), redirect: "follow" });
      raw = await this.read(response);
    } catch (error) {
      if (error instanceof VersoError) throw error;
      throw new VersoError(
        "DEPENDENCY_UNAVAILABLE",
        `the Subsonic server ${this.server} could not be reached (${method}): ${reason(error)}`,
        { cause: error },
      );
    }
    const envelope = asRecord(asRecord(parseJson(raw))?.["subsonic-response"]);
    if (!envelope) {
      const status = response.status;
      if (status === 401 || status === 403) {
        throw new VersoError(
          "SUBSONIC_AUTH_FAILED",
          `the Subsonic server ${this.server} refused the account (${status})`,
        );
      }
      throw this.failure(method, `HTTP ${status}, not a Subsonic answer`);
    }
    return envelope;
  }

  private async read(response: Response): Promise<string> {
    if (!response.body) return "";
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += chunk.byteLength;
      if (size > this.maxResponseBytes) {
        await response.body.cancel().catch(() => {});
        throw new VersoError(
          "SUBSONIC_REQUEST_FAILED",
          `the Subsonic server ${this.server} answered more than ${this.maxResponseBytes} bytes`,
        );
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString("utf8");
  }

  private failure(method: string, detail: string): VersoError {
    return new VersoError(
      "SUBSONIC_REQUEST_FAILED",
      `the Subsonic server ${this.server} failed ${method}: ${detail}`,
    );
  }
}

/** Why the exchange failed: no answer in time, or what the network said. */
function reason(error: unknown): string {
  return error instanceof Error && error.name === "TimeoutError" ? "no answer in time" : networkReason(error);
}
