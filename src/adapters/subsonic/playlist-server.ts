/**
 * The catalog's Subsonic server as a place to save playlists, reached with each person's own
 * account (never the catalog's). A playlist of the same name that the account owns is updated
 * (its songs replaced, in order); otherwise one is created. Each call is one attempt: a refused
 * account fails at once (SUBSONIC_AUTH_FAILED), a server away fails with DEPENDENCY_UNAVAILABLE.
 */
import { VersoError } from "../../core/errors.js";
import type { MusicServerAccount, PlaylistServer } from "../../core/playlists/music-server.js";
import { SubsonicClient, type SubsonicClientOptions } from "./client.js";

/** The server's API root, without credentials, from `subsonic://user@host:port/path` (`subsonics://` for HTTPS). */
export function subsonicServerAddress(url: string): URL {
  const parsed = URL.canParse(url) ? new URL(url) : null;
  const scheme = parsed && { "subsonic:": "http:", "subsonics:": "https:" }[parsed.protocol];
  if (!parsed || !scheme) {
    throw new VersoError(
      "VALIDATION_FAILED",
      "a Subsonic server's URL starts with subsonic:// or subsonics://",
    );
  }
  const path = parsed.pathname.endsWith("/") ? parsed.pathname : `${parsed.pathname}/`;
  return new URL(`${scheme}//${parsed.host}${path}`);
}

export function createSubsonicPlaylistServer(
  url: string,
  options: SubsonicClientOptions = {},
): PlaylistServer {
  const baseUrl = subsonicServerAddress(url);
  const clientOf = (account: MusicServerAccount) =>
    new SubsonicClient({ baseUrl, username: account.username, password: account.password }, options);
  return {
    address: baseUrl.href,
    async check(account) {
      await clientOf(account).ping();
    },
    async savePlaylist(account, name, songIds) {
      const client = clientOf(account);
      const own = (await client.getPlaylists()).filter(
        (playlist) => playlist.name === name && (playlist.owner ?? account.username) === account.username,
      );
      const existing = own.at(-1);
      if (!existing) return { id: await client.createPlaylist(name, songIds), created: true };
      await client.replacePlaylistSongs(existing.id, songIds);
      return { id: existing.id, created: false };
    },
  };
}
