/**
 * Answers saved as playlists on the catalog's music server, with the signed-in person's own
 * account there: the account is checked on the server before it is kept, kept for that server
 * only, and its password never leaves the server side again. A playlist is named after the
 * prompt and holds the answer's songs that are on the server, in the answer's order; saving the
 * same prompt again updates that playlist. A refused account fails at once, never retried.
 */
import type { Clock, Viewer } from "../accounts/user.js";
import { isVersoError, VersoError } from "../errors.js";
import type { AskRequest } from "../search/types.js";
import type { MusicServerAccount, MusicServerAccountStore, PlaylistServer } from "./music-server.js";
import type { Playlist } from "./playlist.js";
import type { PlaylistService } from "./playlist-service.js";

/** Subsonic servers keep names of any length; players show a line of one. */
export const MAX_SERVER_PLAYLIST_NAME = 200;
export const MAX_SERVER_USERNAME = 200;
export const MAX_SERVER_PASSWORD = 1000;

export interface ServerPlaylistDeps {
  /** The catalog's music server; null when the catalog does not come from one. */
  server: PlaylistServer | null;
  accounts: MusicServerAccountStore;
  playlists: PlaylistService;
  clock: Clock;
}

export interface MusicServerAccountView {
  /** The catalog's music server, or null when there is none to save playlists on. */
  server: string | null;
  /** The person's user name there, when they saved an account; never the password. */
  username: string | null;
}

export type PlaylistSource = { ask: AskRequest } | { promptId: number };

export interface ServerPlaylistView {
  server: string;
  playlistId: string;
  name: string;
  /** The songs the playlist holds now, in order (Verso's ids). */
  songIds: string[];
  /** Songs of the answer that are not on the server, left out. */
  leftOut: number;
  created: boolean;
}

export class ServerPlaylists {
  constructor(private readonly deps: ServerPlaylistDeps) {}

  async account(viewer: Viewer): Promise<MusicServerAccountView> {
    const { server } = this.deps;
    if (!server) return { server: null, username: null };
    const account = await this.deps.accounts.find(viewer.user.id, server.address);
    return { server: server.address, username: account?.username ?? null };
  }

  /** Checks the account on the server, then keeps it for this person. */
  async saveAccount(viewer: Viewer, account: MusicServerAccount): Promise<MusicServerAccountView> {
    const server = this.serverOrFail();
    const username = account.username.trim();
    if (username === "" || username.length > MAX_SERVER_USERNAME || account.password === "") {
      throw new VersoError("VALIDATION_FAILED", "a user name and a password for the music server are needed");
    }
    if (account.password.length > MAX_SERVER_PASSWORD) {
      throw new VersoError("VALIDATION_FAILED", `a password of at most ${MAX_SERVER_PASSWORD} characters`);
    }
    const checked = { username, password: account.password };
    await refusedAsInvalid(server, () => server.check(checked));
    await this.deps.accounts.save(viewer.user.id, server.address, checked, this.deps.clock().toISOString());
    return { server: server.address, username };
  }

  async forgetAccount(viewer: Viewer): Promise<void> {
    await this.deps.accounts.remove(viewer.user.id);
  }

  /** Saves the answer (of an ask or of a published prompt) as the person's playlist on the server. */
  async save(viewer: Viewer, source: PlaylistSource): Promise<ServerPlaylistView> {
    const server = this.serverOrFail();
    const account = await this.deps.accounts.find(viewer.user.id, server.address);
    if (!account) {
      throw new VersoError(
        "MUSIC_SERVER_ACCOUNT_MISSING",
        `save your account on ${server.address} first: playlists are made with your own account there`,
      );
    }
    const playlist = await this.playlistOf(viewer, source);
    const onServer = playlist.entries.filter((entry) => entry.serverSong?.server === server.address);
    if (onServer.length === 0) {
      throw new VersoError("PLAYLIST_EMPTY", `none of this answer's songs are on ${server.address}`);
    }
    const name = [...playlist.title].slice(0, MAX_SERVER_PLAYLIST_NAME).join("");
    const songIds = onServer.map((entry) => entry.serverSong?.id ?? "");
    const saved = await refusedAsInvalid(server, () => server.savePlaylist(account, name, songIds));
    return {
      server: server.address,
      playlistId: saved.id,
      name,
      songIds: onServer.map((entry) => entry.songId),
      leftOut: playlist.entries.length - onServer.length,
      created: saved.created,
    };
  }

  private playlistOf(viewer: Viewer, source: PlaylistSource): Promise<Playlist> {
    return "ask" in source
      ? this.deps.playlists.ofAnswer(source.ask)
      : this.deps.playlists.ofPrompt(source.promptId, viewer);
  }

  private serverOrFail(): PlaylistServer {
    if (!this.deps.server) {
      throw new VersoError(
        "NO_MUSIC_SERVER",
        "this catalog does not come from a music server to save playlists on",
      );
    }
    return this.deps.server;
  }
}

/**
 * The server refusing the person's account is their saved user name or password being wrong:
 * a request to fix, answered 400 with its own code (the catalog's own account is not at fault).
 */
async function refusedAsInvalid<T>(server: PlaylistServer, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isVersoError(error) && error.code === "SUBSONIC_AUTH_FAILED") {
      throw new VersoError(
        "MUSIC_SERVER_ACCOUNT_REFUSED",
        `${server.address} refused the user name or password saved for it: save them again`,
        { cause: error },
      );
    }
    throw error;
  }
}
