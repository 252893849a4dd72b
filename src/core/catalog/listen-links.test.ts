import { describe, expect, it } from "vitest";
import { listenLinks } from "./listen-links.js";

const song = (id: string, title: string, artists: string[] = ["Juniper Hale"]) => ({ id, title, artists });

describe("listenLinks", () => {
  it("leads with the song's own Spotify page when its id is a Spotify track id", () => {
    const links = listenLinks(song("1vrMGV0cxKxujjkhKiFMUe", "Lighthouse Keeper"));
    expect(links[0]).toEqual({
      service: "Spotify",
      kind: "song",
      url: "https://open.spotify.com/track/1vrMGV0cxKxujjkhKiFMUe",
    });
    expect(links.map((link) => `${link.service} ${link.kind}`)).toEqual([
      "Spotify song",
      "Spotify search",
      "YouTube Music search",
      "Apple Music search",
    ]);
  });

  it.each(["demo-a-001", "v-AbCdEfGhIjKlMnOpQrStUv", "1vrMGV0cxKxujjkhKiFMU", "1vrMGV0cxKxujjkhKiFMUe_"])(
    "only searches for a song whose id %j is no Spotify track id",
    (id) => {
      expect(listenLinks(song(id, "Lighthouse Keeper")).map((link) => link.kind)).toEqual([
        "search",
        "search",
        "search",
      ]);
    },
  );

  it("searches for the title and the first artist on each service", () => {
    const links = listenLinks(song("demo-a-001", "Lighthouse Keeper", ["Juniper Hale", "Ana María"]));
    expect(links.map((link) => link.url)).toEqual([
      "https://open.spotify.com/search/Lighthouse%20Keeper%20Juniper%20Hale",
      "https://music.youtube.com/search?q=Lighthouse+Keeper+Juniper+Hale",
      "https://music.apple.com/search?term=Lighthouse+Keeper+Juniper+Hale",
    ]);
  });

  it("searches for the title alone when the song names no artist", () => {
    expect(listenLinks(song("demo-a-001", "Lighthouse Keeper", []))[1]!.url).toBe(
      "https://music.youtube.com/search?q=Lighthouse+Keeper",
    );
  });

  it.each([
    `"><script>alert(1)</script>`,
    "javascript:alert(1)",
    "a/../../track/x?y=1#z&term=evil",
    "..",
    "Niña & Niño — 100% ☂",
  ])("keeps the hostile title %j a search term on the service's own host and path", (title) => {
    for (const link of listenLinks(song("demo-a-001", title, ["x"]))) {
      const url = new URL(link.url);
      expect(url.protocol).toBe("https:");
      expect(link.url).not.toMatch(/[<>"' ]/);
      if (link.service === "Spotify") {
        expect(url.pathname.split("/").slice(0, 2)).toEqual(["", "search"]);
        expect(url.pathname.split("/")).toHaveLength(3);
        expect(url.search + url.hash).toBe("");
        expect(decodeURIComponent(url.pathname.slice("/search/".length))).toBe(`${title} x`);
      } else {
        expect([...url.searchParams.values()]).toEqual([`${title} x`]);
        expect(url.hash).toBe("");
      }
    }
  });

  it("carries an unpaired surrogate in a title as U+FFFD instead of throwing", () => {
    const links = listenLinks(song("demo-a-001", "rain \ud800", ["x"]));
    expect(links.map((link) => link.service)).toEqual(["Spotify", "YouTube Music", "Apple Music"]);
    expect(new URL(links[1]!.url).searchParams.get("q")).toBe("rain \uFFFD x");
  });

  it("leads with a library song's page on its server and its MusicBrainz recording, and refuses other shapes", () => {
    const origin = {
      webUrl: "http://music.local:4533/app/#/album/al-1/show",
      musicBrainzRecordingId: "B1A9C0E9-D987-4042-AE91-78D6A3267D69",
    };
    const links = listenLinks({ ...song("f-AbCdEfGhIjKlMnOpQrStUv", "Harbour"), origin });
    expect(links.slice(0, 2)).toEqual([
      { service: "Your music server", kind: "song", url: origin.webUrl },
      {
        service: "MusicBrainz",
        kind: "song",
        url: "https://musicbrainz.org/recording/b1a9c0e9-d987-4042-ae91-78d6a3267d69",
      },
    ]);
    const odd = { webUrl: "javascript:alert(1)", musicBrainzRecordingId: "../../admin" };
    expect(listenLinks({ ...song("x", "Harbour"), origin: odd }).map((link) => link.kind)).toEqual([
      "search",
      "search",
      "search",
    ]);
  });
});
