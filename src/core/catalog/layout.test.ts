import { describe, expect, it } from "vitest";
import { derivedSongId, detectLayout, LayoutError, parseArtists, readRow } from "./layout.js";

const original = [
  "id",
  "name",
  "album_name",
  "artists",
  "danceability",
  "energy",
  "key",
  "loudness",
  "mode",
  "speechiness",
  "acousticness",
  "instrumentalness",
  "liveness",
  "valence",
  "tempo",
  "duration_ms",
  "lyrics",
];
const spotify = [
  "track_id",
  "track_name",
  "track_artist",
  "lyrics",
  "track_popularity",
  "track_album_id",
  "track_album_name",
  "track_album_release_date",
  "playlist_name",
  "playlist_id",
  "playlist_genre",
  "playlist_subgenre",
  "danceability",
  "energy",
  "key",
  "loudness",
  "mode",
  "speechiness",
  "acousticness",
  "instrumentalness",
  "liveness",
  "valence",
  "tempo",
  "duration_ms",
  "language",
];
const perArtist = ["", "Artist", "Title", "Album", "Year", "Date", "Lyric"];
const perArtistReordered = ["Artist", "Title", "Album", "Date", "Lyric", "Year"];

describe("detectLayout", () => {
  it("recognises the three known layouts by header name", () => {
    expect(detectLayout(original).name).toBe("original");
    expect(detectLayout(spotify).name).toBe("spotify");
    expect(detectLayout(perArtist).name).toBe("per-artist");
    expect(detectLayout(perArtistReordered).name).toBe("per-artist");
  });

  it("matches columns case-insensitively, whatever their order", () => {
    const layout = detectLayout(["LYRICS", "Artists", " Name ", "ID"]);
    expect(layout.columns).toMatchObject({ lyrics: 0, artists: 1, title: 2, id: 3 });
  });

  it("refuses a header without a lyrics column, naming what is missing", () => {
    expect(() => detectLayout(["id", "name", "artists"])).toThrow(LayoutError);
    expect(() => detectLayout(["id", "name", "artists"])).toThrow(/lyrics \(lyrics \/ lyric\)/);
  });
});

describe("readRow", () => {
  it("reads the original layout with a list of artists and audio features", () => {
    const layout = detectLayout(original);
    const row = [
      "abc123",
      "Harbour Lights",
      "Sea Songs",
      "['Ann Lee', 'Bo \\'Kid\\' Ray']",
      "0.5",
      "0.6",
      "7",
      "-6.5",
      "1",
      "0.05",
      "0.3",
      "0",
      "0.1",
      "0.7",
      "120.5",
      "200000",
      "the tide comes in",
    ];
    const result = readRow(layout, row);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.song).toMatchObject({
      id: "abc123",
      title: "Harbour Lights",
      album: "Sea Songs",
      artists: ["Ann Lee", "Bo 'Kid' Ray"],
      lyrics: "the tide comes in",
      features: { danceability: 0.5, key: 7, loudness: -6.5, tempo: 120.5, durationMs: 200000 },
    });
  });

  it("reads the Spotify layout's genre, language, date and popularity", () => {
    const layout = detectLayout(spotify);
    const row = spotify.map(() => "");
    const set = (name: string, value: string) => (row[spotify.indexOf(name)] = value);
    set("track_id", "0017A6SJgTbfQVU2EtsPNo");
    set("track_name", "Pangarap");
    set("track_artist", "Barbie's Cradle");
    set("lyrics", "words");
    set("track_popularity", "41");
    set("track_album_release_date", "2001-05");
    set("playlist_genre", "rock");
    set("language", "TL");
    set("energy", "0.6559999999999999");
    const result = readRow(layout, row);
    expect(result.ok && result.song).toMatchObject({
      id: "0017A6SJgTbfQVU2EtsPNo",
      artists: ["Barbie's Cradle"],
      genre: "rock",
      language: "tl",
      releaseDate: "2001-05",
      popularity: 41,
      features: { energy: 0.6559999999999999, danceability: null },
    });
  });

  it("derives a stable id for layouts without one, equal across spellings", () => {
    const layout = detectLayout(perArtist);
    const a = readRow(layout, [
      "0",
      "Ariana Grande",
      "\u200bthank u, next",
      "x",
      "2018",
      "2018-11-03",
      "la la",
    ]);
    const b = readRow(detectLayout(perArtistReordered), [
      "ariana  grande",
      "Thank U, Next",
      "x",
      "nan",
      "la",
      "nan",
    ]);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.song.id).toBe(b.song.id);
    expect(a.song.id).toBe(derivedSongId(["Ariana Grande"], "thank u, next"));
    expect(a.song.title).toBe("thank u, next");
    expect(a.song.releaseDate).toBe("2018-11-03");
    expect(b.song.releaseDate).toBeNull();
  });

  it("takes the year when the date is missing, and drops noise out of range", () => {
    const layout = detectLayout(["Artist", "Title", "Year", "Date", "Lyric", "energy"]);
    const result = readRow(layout, ["A", "T", "2019.0", "None", "words", "7"]);
    expect(result.ok && result.song.releaseDate).toBe("2019");
    expect(result.ok && result.song.features.energy).toBeNull();
  });

  it("gives the reason a row cannot be a song", () => {
    const layout = detectLayout(original);
    const blank = original.map(() => "");
    expect(readRow(layout, blank)).toEqual({ ok: false, reason: "no title" });
    const noArtist = [...blank];
    noArtist[1] = "Title";
    expect(readRow(layout, noArtist)).toEqual({ ok: false, reason: "no artist" });
    const noId = [...noArtist];
    noId[3] = "['A']";
    expect(readRow(layout, noId)).toEqual({ ok: false, reason: "no id" });
    const badId = [...noId];
    badId[0] = "has spaces and / slashes";
    expect(readRow(layout, badId)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not a valid id/),
    });
  });
});

describe("parseArtists", () => {
  it("reads list literals with either quote, and plain names", () => {
    expect(parseArtists("['A', 'B']")).toEqual(["A", "B"]);
    expect(parseArtists('["Guns N\' Roses"]')).toEqual(["Guns N' Roses"]);
    expect(parseArtists("Tyler, The Creator")).toEqual(["Tyler, The Creator"]);
    expect(parseArtists("[]")).toEqual([]);
    expect(parseArtists("[dunkelbunt]")).toEqual(["[dunkelbunt]"]);
    expect(parseArtists("[:SITD:]")).toEqual(["[:SITD:]"]);
    expect(parseArtists("['A', 'B',]")).toEqual(["A", "B"]);
  });

  it("keeps brackets around quotes that make no list whole, as one name, rather than guessing", () => {
    const names = parseArtists("['=cmd|' /C calc'!A0']");
    expect([...names]).toEqual(["['=cmd|' /C calc'!A0']"]);
    expect(names.malformed).toBe(true);
    expect(parseArtists("['A' 'B']").malformed).toBe(true);
    expect(parseArtists("['A', 'B']").malformed).toBeUndefined();
  });
});
