import { describe, expect, it } from "vitest";
import { parseXspf, xspfSchemaErrors } from "../../../test/support/playlist-files.js";
import { playlistSongs } from "../../../test/support/playlist-songs.js";
import { playlistOf, type Playlist } from "../../core/playlists/playlist.js";
import { writeXspf } from "./xspf.js";

/** The text with one part changed; fails when the part is not there, so each check changes something. */
function changed(text: string, part: string | RegExp, by: string): string {
  const result = text.replace(part, by);
  if (result === text) throw new Error(`no ${String(part)} in the file`);
  return result;
}

const answer = (): Playlist =>
  playlistOf(
    "the sea",
    "ana",
    playlistSongs.map((song) => ({ song })),
  );

describe("XSPF", () => {
  it("is valid against the XSPF 1 schema", async () => {
    expect(await xspfSchemaErrors(writeXspf(answer()))).toBeNull();
  });

  it("the schema check refuses what XSPF does not allow, so its verdict means something", async () => {
    const written = writeXspf(answer());
    expect(await xspfSchemaErrors(changed(written, "<album>", "<genre>x</genre><album>"))).toMatch(/genre/);
    expect(await xspfSchemaErrors(changed(written, "<duration>201000", "<duration>-1"))).toMatch(/duration/);
    expect(await xspfSchemaErrors(changed(written, /<trackList>[^]*<\/trackList>/, ""))).not.toBeNull();
    expect(await xspfSchemaErrors(changed(written, 'version="1"', 'version="2"'))).not.toBeNull();
  });

  it("reads back with the songs in the answer's order, their names, albums and lengths", () => {
    const file = parseXspf(writeXspf(answer()));
    expect(file.title).toBe("the sea");
    expect(file.creator).toBe("ana");
    expect(file.tracks).toEqual([
      {
        location: ["https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC"],
        title: "Harbour Lights",
        creator: "Ana Ríos, The Tides",
        duration: "201000",
      },
      {
        location: ["Kim/Rooms/01%20Home%20%26%20Away%20%232.flac"],
        title: "Home & Away <live>",
        creator: "Kim",
        album: "Rooms",
        duration: "60000",
      },
      {
        location: [expect.stringMatching(/^https:\/\/open\.spotify\.com\/search\//)],
        title: 'Leaving "Now"',
      },
    ]);
  });

  it("escapes markup and replaces what XML cannot hold, and stays valid", async () => {
    const hostile: Playlist = {
      title: "</title><script>x</script> & ]]> \u0000\u0007 \uD83D",
      creator: "a&b",
      entries: [
        {
          songId: "1",
          title: "<![CDATA[ x ]]>",
          artists: ['"quoted" & <tagged>'],
          album: "\u001b[31m",
          durationSeconds: 1,
          location: { kind: "link", url: "https://example.org/?a=1&b=<2>" },
          serverSong: null,
        },
      ],
    };
    const xml = writeXspf(hostile);
    expect(await xspfSchemaErrors(xml)).toBeNull();
    const file = parseXspf(xml);
    expect(file.title).toBe("</title><script>x</script> & ]]> \uFFFD\uFFFD \uFFFD");
    expect(file.tracks[0]).toMatchObject({ title: "<![CDATA[ x ]]>", creator: '"quoted" & <tagged>' });
    expect(file.tracks[0]?.location).toEqual(["https://example.org/?a=1&b=<2>"]);
  });
});
