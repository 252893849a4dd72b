import { describe, expect, it } from "vitest";
import { playlistSongs } from "../../../test/support/playlist-songs.js";
import { listenLinks } from "../catalog/listen-links.js";
import { playlistFileName, playlistOf } from "./playlist.js";

describe("playlistOf", () => {
  it("keeps the answer's order, its songs' names and lengths in whole seconds", () => {
    const playlist = playlistOf(
      "songs about the sea",
      "ana",
      playlistSongs.map((song) => ({ song })),
    );
    expect(playlist.title).toBe("songs about the sea");
    expect(playlist.creator).toBe("ana");
    expect(playlist.entries.map((e) => [e.songId, e.title, e.artists, e.durationSeconds])).toEqual([
      ["4uLU6hMCjMI75M1A2tKUQC", "Harbour Lights", ["Ana Ríos", "The Tides"], 201],
      ["lib-1", "Home & Away <live>", ["Kim"], 60],
      ["v-3f2a", 'Leaving "Now"', [], null],
    ]);
  });

  it("finds a music folder's song at its path in the folder, any other at its best link out", () => {
    const [spotify, folder, csv] = playlistOf(
      "x",
      null,
      playlistSongs.map((song) => ({ song })),
    ).entries;
    expect(spotify?.location).toEqual({
      kind: "link",
      url: "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC",
    });
    expect(folder?.location).toEqual({ kind: "file", path: "Kim/Rooms/01 Home & Away #2.flac" });
    expect(csv?.location).toEqual({ kind: "link", url: listenLinks(playlistSongs[2]!)[0]!.url });
  });

  it("finds a Subsonic server's song at its link, not at its path in the server's folder, and keeps its id there", () => {
    const onServer = {
      ...playlistSongs[0]!,
      id: "s-1",
      origin: { path: "Coast/01 Harbour.mp3", server: "http://music.local/", serverSongId: "42" },
    };
    const [entry] = playlistOf("x", null, [{ song: onServer }]).entries;
    expect(entry?.location).toEqual({ kind: "link", url: listenLinks(onServer)[0]!.url });
    expect(entry?.serverSong).toEqual({ server: "http://music.local/", id: "42" });
    const [folder] = playlistOf("x", null, [{ song: playlistSongs[1]! }]).entries;
    expect(folder?.serverSong).toBeNull();
  });
});

describe("playlistFileName", () => {
  it("keeps the prompt's words, in any script, and leaves out what a file name must not hold", () => {
    expect(playlistFileName("top 5 songs about leaving home", "m3u8")).toBe(
      "top 5 songs about leaving home.m3u8",
    );
    expect(playlistFileName("canciones de mamá", "xspf")).toBe("canciones de mamá.xspf");
    expect(playlistFileName('../../etc/passwd"; x=\r\ny', "m3u8")).toBe("etc passwd x y.m3u8");
    expect(playlistFileName("海の歌", "m3u8")).toBe("海の歌.m3u8");
  });

  it("is 'playlist' when nothing of the prompt is left, and at most 80 characters before the extension", () => {
    expect(playlistFileName("/// ***", "xspf")).toBe("playlist.xspf");
    expect(playlistFileName("a".repeat(500), "m3u8")).toBe(`${"a".repeat(80)}.m3u8`);
  });
});
