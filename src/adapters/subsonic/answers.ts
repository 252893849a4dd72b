/**
 * The shapes of a Subsonic server's JSON answers, read defensively: servers differ (a list of
 * one may come as an object, numbers as strings), and nothing they send is trusted as typed.
 */
export type Json = Record<string, unknown>;

export interface SubsonicSong {
  id: string;
  title: string;
  artists: string[];
  album?: string;
  albumId?: string;
  year?: number;
  genre?: string;
  durationSeconds?: number;
  /** The file's path as the server reports it, relative to its music folder. */
  path?: string;
  musicBrainzId?: string;
  /** The file's size in bytes and when the server added it: with the tags, what tells a change. */
  size?: number;
  created?: string;
}

export interface SubsonicPlaylist {
  id: string;
  name: string;
  songCount: number;
  owner?: string;
  comment?: string;
  public?: boolean;
}

export const asRecord = (value: unknown): Json | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
export const asList = (value: unknown): Json[] => {
  const items: unknown[] = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.flatMap<Json>((item) => asRecord(item) ?? []);
};
export const text = (value: unknown): string | undefined =>
  typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined;
export const integer = (value: unknown): number | undefined => {
  const number = typeof value === "string" ? Number(value) : value;
  return typeof number === "number" && Number.isFinite(number) ? Math.trunc(number) : undefined;
};

export function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

export function songOf(entry: Json): SubsonicSong | undefined {
  const id = text(entry.id);
  const title = text(entry.title);
  if (!id || !title || entry.isDir === true || entry.isVideo === true) return undefined;
  const named = asList(entry.artists).flatMap((artist) => text(artist.name) ?? []);
  const artist = text(entry.displayArtist) ?? text(entry.artist);
  const artists = named.length > 0 ? named : artist ? [artist] : [];
  const genre = text(entry.genre) ?? asList(entry.genres).flatMap((g) => text(g.name) ?? [])[0];
  const optional = {
    album: text(entry.album),
    albumId: text(entry.albumId),
    year: integer(entry.year),
    genre,
    durationSeconds: integer(entry.duration),
    path: text(entry.path),
    musicBrainzId: text(entry.musicBrainzId) || undefined,
    size: integer(entry.size),
    created: text(entry.created),
  };
  const song: SubsonicSong = { id, title, artists };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined && value !== "") Object.assign(song, { [key]: value });
  }
  return song;
}

export function playlistOf(entry: Json): SubsonicPlaylist | undefined {
  const id = text(entry.id);
  if (!id) return undefined;
  const playlist: SubsonicPlaylist = {
    id,
    name: text(entry.name) ?? "",
    songCount: integer(entry.songCount) ?? 0,
  };
  const owner = text(entry.owner);
  const comment = text(entry.comment);
  if (owner) playlist.owner = owner;
  if (comment) playlist.comment = comment;
  if (typeof entry.public === "boolean") playlist.public = entry.public;
  return playlist;
}
