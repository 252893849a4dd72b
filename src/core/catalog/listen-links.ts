/**
 * Where a song can be heard: links out to streaming services, derived from what the catalog
 * knows of it. A list, best first, so links a catalog source gives for a song itself can lead it.
 */
import type { Song, SongOrigin } from "./song.js";

export interface ListenLink {
  /** The service's name as people know it: "Spotify", "YouTube Music". */
  service: string;
  /** Either the song's own page on the service, or a search there for its title and artist. */
  kind: "song" | "search";
  url: string;
}

/**
 * A Spotify track id: 22 base62 characters. The Spotify data sets keep it as the song's id; ids
 * Verso derives itself ("v-…") and other sources' ids never have this shape.
 */
const spotifyTrackId = /^[0-9A-Za-z]{22}$/;

/** A search for `query` as a URL: the query is only ever a parameter, encoded by the URL API. */
function searchUrl(base: string, parameter: string, query: string): string {
  const url = new URL(base);
  url.searchParams.set(parameter, query);
  return url.href;
}

/**
 * Spotify takes its search as a path segment: encoded as a component, dots too, so a title such
 * as ".." stays a search and never walks up the path.
 */
const spotifySearchUrl = (query: string) =>
  `https://open.spotify.com/search/${encodeURIComponent(query).replaceAll(".", "%2E")}`;

/** Text as a URL can carry it: an unpaired surrogate (which encodeURIComponent throws on) as U+FFFD. */
const wellFormed = (text: string) => text.replace(/\p{Surrogate}/gu, "\uFFFD");

/** A MusicBrainz id: a UUID, nothing else, so it is only ever a path segment of that shape. */
const musicBrainzId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The links a music library gives a song: its page on the library's server, its MusicBrainz recording. */
function originLinks(origin: SongOrigin | undefined): ListenLink[] {
  const links: ListenLink[] = [];
  if (origin?.webUrl && /^https?:\/\//i.test(origin.webUrl)) {
    links.push({ service: "Your music server", kind: "song", url: origin.webUrl });
  }
  const recording = origin?.musicBrainzRecordingId;
  if (recording && musicBrainzId.test(recording)) {
    links.push({
      service: "MusicBrainz",
      kind: "song",
      url: `https://musicbrainz.org/recording/${recording.toLowerCase()}`,
    });
  }
  return links;
}

export function listenLinks(song: Pick<Song, "id" | "title" | "artists" | "origin">): ListenLink[] {
  const query = wellFormed([song.title, song.artists[0] ?? ""].join(" ").trim());
  const own: ListenLink[] = [
    ...originLinks(song.origin),
    ...(spotifyTrackId.test(song.id)
      ? [{ service: "Spotify", kind: "song" as const, url: `https://open.spotify.com/track/${song.id}` }]
      : []),
  ];
  return [
    ...own,
    { service: "Spotify", kind: "search", url: spotifySearchUrl(query) },
    {
      service: "YouTube Music",
      kind: "search",
      url: searchUrl("https://music.youtube.com/search", "q", query),
    },
    {
      service: "Apple Music",
      kind: "search",
      url: searchUrl("https://music.apple.com/search", "term", query),
    },
  ];
}
