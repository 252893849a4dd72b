import { describe, expect, it } from "vitest";
import { parseM3u8 } from "../../../test/support/playlist-files.js";
import { playlistSongs } from "../../../test/support/playlist-songs.js";
import { playlistOf, type PlaylistEntry } from "../../core/playlists/playlist.js";
import { writeM3u8 } from "./m3u8.js";

const entry = (fields: Partial<PlaylistEntry>): PlaylistEntry => ({
  songId: "s",
  title: "Title",
  artists: ["Artist"],
  album: null,
  durationSeconds: 90,
  location: { kind: "link", url: "https://example.org/s" },
  serverSong: null,
  ...fields,
});

describe("M3U8", () => {
  it("reads back as #EXTINF:<seconds>,<artists> - <title> and the location, in the answer's order", () => {
    const file = parseM3u8(
      writeM3u8(
        playlistOf(
          "the sea",
          null,
          playlistSongs.map((song) => ({ song })),
        ),
      ),
    );
    expect(file.header).toBe("#EXTM3U");
    expect(file.title).toBe("the sea");
    expect(file.entries).toEqual([
      {
        seconds: 201,
        name: "Ana Ríos, The Tides - Harbour Lights",
        location: "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC",
      },
      { seconds: 60, name: "Kim - Home & Away <live>", location: "Kim/Rooms/01 Home & Away #2.flac" },
      {
        seconds: -1,
        name: 'Leaving "Now"',
        location: expect.stringMatching(/^https:\/\/open\.spotify\.com\/search\//),
      },
    ]);
  });

  it("keeps every value on its own line: line breaks in names cannot add entries or directives", () => {
    const text = writeM3u8({
      title: "rain\n#EXTINF:1,injected\nhttp://evil.example/",
      creator: null,
      entries: [entry({ title: "One\r\n#EXT-X-ENDLIST", artists: ["A\u2028B"] })],
    });
    const file = parseM3u8(text);
    expect(file.title).toBe("rain #EXTINF:1,injected http://evil.example/");
    expect(file.entries).toEqual([
      { seconds: 90, name: "A B - One #EXT-X-ENDLIST", location: "https://example.org/s" },
    ]);
  });

  it("writes a path a player would take for a comment, or one with a line break, so it stays a path", () => {
    const file = parseM3u8(
      writeM3u8({
        title: "t",
        creator: null,
        entries: [
          entry({ location: { kind: "file", path: "#1 hits/song.mp3" } }),
          entry({ location: { kind: "file", path: "odd\nname/song.mp3" } }),
        ],
      }),
    );
    expect(file.entries.map((e) => e.location)).toEqual(["./#1 hits/song.mp3", "odd%0Aname/song.mp3"]);
  });
});
