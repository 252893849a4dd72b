/**
 * The contract of SongStore, the catalog's read side: songs, passages and vectors read back as
 * ingest wrote them, and full-text search over titles, artists and lyrics with song filters,
 * in each dialect's own index.
 */
import { describe, expect, it } from "vitest";
import { emptyFeatures } from "../../src/core/catalog/song.js";
import type { SongPageStore, SongStore } from "../../src/core/catalog/store.js";
import {
  catalogFixture,
  collect,
  ingested,
  model,
  songRow,
  unit,
  type OpenCatalogStores,
} from "./catalog-fixtures.js";

export function describeSongStoreContract(name: string, open: OpenCatalogStores) {
  describe(`song store contract: ${name}`, () => {
    const fx = catalogFixture(open);

    it("reads songs, passages and song vectors back", async () => {
      const { runs, songs } = fx.stores;
      const { lease } = await fx.startedObject();
      const committed = await runs.commitBatch(
        await fx.batchOf(lease, [ingested(songRow("s1", { artists: ["A", "B"] }), [unit(1, 0, 0, 0)])]),
      );
      const found = await songs.getSongs(["s1", "missing"]);
      expect([...found.keys()]).toEqual(["s1"]);
      expect(found.get("s1")).toMatchObject({ artists: ["A", "B"], features: { energy: 0.5, tempo: null } });
      const passages = await songs.getPassages(committed!.added.map((a) => a.id));
      expect([...passages.values()][0]).toMatchObject({ songId: "s1", ordinal: 0, text: "s1 passage 0" });
      const songVectors = await songs.songVectors(["s1", "missing"], model.name);
      expect([...songVectors.keys()]).toEqual(["s1"]);
      expect(Array.from(songVectors.get("s1")!)).toEqual(Array.from(unit(1, 0, 0, 0)));
      expect((await songs.songVectors(["s1"], "another-model")).size).toBe(0);
      expect((await collect(songs.streamSongVectors(model.name))).map((v) => v.songId)).toEqual(["s1"]);
    });

    it("keeps a library song's origin, timed lyrics of any length included, and none for a CSV song", async () => {
      const { runs, songs } = fx.stores;
      const { lease } = await fx.startedObject();
      const timedLyrics = Array.from(
        { length: 2000 },
        (_, i) => `[00:${String(i % 60).padStart(2, "0")}.00]línea ${i}`,
      ).join("\n");
      const origin = {
        path: "Coast/01 Harbour.mp3",
        musicBrainzRecordingId: "b1a9c0e9-d987-4042-ae91-78d6a3267d69",
        lyricsFrom: "lrc" as const,
        timedLyrics,
      };
      await runs.commitBatch(
        await fx.batchOf(lease, [
          ingested({ ...songRow("lib1"), origin }, [unit(1, 0, 0, 0)]),
          ingested(songRow("csv1"), [unit(0, 1, 0, 0)]),
        ]),
      );
      const found = await songs.getSongs(["lib1", "csv1"]);
      expect(found.get("lib1")?.origin).toEqual(origin);
      expect(found.get("csv1")).not.toHaveProperty("origin");
      expect((await songs.getSong("lib1"))?.origin?.timedLyrics).toBe(timedLyrics);
    });

    it("finds songs by words in title, artists and lyrics, best first, ignoring accents and query syntax", async () => {
      const { runs, songs } = fx.stores;
      const { lease } = await fx.startedObject();
      await runs.commitBatch(
        await fx.batchOf(lease, [
          ingested(songRow("ocean", { title: "Ocean Eyes", lyrics: "the ocean the ocean and the sea" }), []),
          ingested(songRow("sea", { title: "Harbour", lyrics: "a song about the sea" }), []),
          ingested(songRow("cancion", { title: "Canción del mar", lyrics: "mi corazón" }), []),
          ...["f1", "f2", "f3"].map((id) =>
            ingested(songRow(id, { title: "Filler", lyrics: "the night and the road" }), []),
          ),
        ]),
      );
      const hits = await songs.searchLexical(["ocean", "sea"], 10);
      expect(hits.map((h) => h.songId)).toEqual(["ocean", "sea"]);
      expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
      expect((await songs.searchLexical(["cancion", "corazon"], 10)).map((h) => h.songId)).toEqual([
        "cancion",
      ]);
      // Query syntax is only words: 'harbour" OR ocean' finds what its words find, and no
      // operator of any dialect's query language is read.
      for (const terms of [
        ['harbour" OR ocean'],
        ["NEAR(harbour"],
        ["harbour*"],
        ["+harbour -ocean"],
        ["harbour:*"],
      ]) {
        expect(
          (await songs.searchLexical(terms, 10)).map((h) => h.songId),
          terms[0],
        ).toContain("sea");
      }
      expect(await songs.searchLexical(['"', "*", "()", "&|!"], 10)).toEqual([]);
      expect(await songs.searchLexical([], 10)).toEqual([]);
      // "the" is in most songs: it adds no match to what the rarer word finds.
      expect((await songs.searchLexical(["the", "harbour"], 10)).map((h) => h.songId)).toEqual(["sea"]);
    });

    it("finds only songs with lyrics to match, whatever their titles say", async () => {
      const { runs, songs } = fx.stores;
      const { lease } = await fx.startedObject();
      await runs.commitBatch(
        await fx.batchOf(lease, [
          ingested(songRow("sea", { title: "Harbour", lyrics: "a song about the sea" }), []),
          {
            ...ingested(songRow("instrumental", { title: "Sea Breeze", lyrics: "" }), []),
            lyricsStatus: "placeholder",
          },
          {
            ...ingested(songRow("fragment", { title: "Sea", lyrics: "sea sea sea" }), []),
            lyricsStatus: "fragment",
          },
        ]),
      );
      expect((await songs.searchLexical(["sea"], 10)).map((h) => h.songId)).toEqual(["sea"]);
      expect(
        (await songs.searchLexical(["se"], 10, undefined, { prefix: true })).map((h) => h.songId),
      ).toEqual(["sea"]);
    });

    it("answers the best songs with lyrics even when many better matches have none", async () => {
      const { runs, songs } = fx.stores;
      const { lease } = await fx.startedObject();
      // Short texts of nothing but the word rank first, and none of them can be an answer.
      const fragments = Array.from({ length: 12 }, (_, n) => ({
        ...ingested(songRow(`fragment-${n}`, { title: "Sea", lyrics: "sea sea" }), []),
        lyricsStatus: "fragment" as const,
      }));
      await runs.commitBatch(
        await fx.batchOf(lease, [
          ...fragments,
          ingested(songRow("twice", { lyrics: "the sea and the sea again, the harbour lights" }), []),
          ingested(songRow("once", { lyrics: "a long road far from the sea, a field of wheat and rye" }), []),
          ingested(songRow("none", { lyrics: "a field of wheat" }), []),
        ]),
      );
      for (const prefix of [false, true]) {
        expect((await songs.searchLexical(["sea"], 2, undefined, { prefix })).map((h) => h.songId)).toEqual([
          "twice",
          "once",
        ]);
      }
    });

    it("matches stems as the beginnings of words when asked, and only then", async () => {
      const { runs, songs } = fx.stores;
      const { lease } = await fx.startedObject();
      await runs.commitBatch(
        await fx.batchOf(lease, [
          ingested(
            songRow("dancing", { title: "Tonight", lyrics: "we were dancing and dancing until the light" }),
            [],
          ),
          ingested(songRow("dancer", { title: "Stage", lyrics: "the dancer on the stage" }), []),
          ingested(songRow("abundance", { title: "Harvest", lyrics: "an abundance of grain" }), []),
          ...["f1", "f2", "f3"].map((id) =>
            ingested(songRow(id, { title: "Filler", lyrics: "the night and the road" }), []),
          ),
        ]),
      );
      const ids = async (prefix: boolean) =>
        (await songs.searchLexical(["danc"], 10, undefined, { prefix })).map((h) => h.songId);
      expect(await ids(false)).toEqual([]);
      expect(await ids(true)).toEqual(["dancing", "dancer"]);
      // A prefix is still only a word: no query syntax of any dialect is read.
      expect(
        (await songs.searchLexical(["danc*", "(x"], 10, undefined, { prefix: true })).map((h) => h.songId),
      ).toEqual(["dancing", "dancer"]);
    });

    it("filters full-text matches by song metadata inside the query", async () => {
      const { runs, songs } = fx.stores;
      const { lease } = await fx.startedObject();
      await runs.commitBatch(
        await fx.batchOf(lease, [
          ingested(
            songRow("en-old", { lyrics: "rain falls", language: "en", releaseDate: "1975", genre: "Rock" }),
            [],
          ),
          ingested(
            songRow("en-new", {
              lyrics: "rain again",
              language: "en",
              releaseDate: "2019-02-01",
              features: { ...emptyFeatures(), energy: 0.9 },
            }),
            [],
          ),
          ingested(songRow("es", { lyrics: "rain lluvia", language: "es", releaseDate: "2001" }), []),
          ingested(songRow("unknown", { lyrics: "rain", language: null, releaseDate: null }), []),
        ]),
      );
      const ids = async (filter: Parameters<SongStore["searchLexical"]>[2]) =>
        (await songs.searchLexical(["rain"], 10, filter)).map((h) => h.songId).sort();
      expect(await ids(undefined)).toEqual(["en-new", "en-old", "es", "unknown"]);
      expect(await ids({ language: "ES" })).toEqual(["es"]);
      expect(await ids({ genre: "rock" })).toEqual(["en-old"]);
      expect(await ids({ year: { min: 2000 } })).toEqual(["en-new", "es"]);
      expect(await ids({ year: { max: 1999 } })).toEqual(["en-old"]);
      expect(await ids({ language: "en", energy: { min: 0.8 } })).toEqual(["en-new"]);
      expect(await ids({ energy: { max: 0.4 } })).toEqual([]);
    });

    it("reads one passage of a song by its position", async () => {
      const { runs, songs } = fx.stores;
      const { lease } = await fx.startedObject();
      await runs.commitBatch(
        await fx.batchOf(lease, [
          ingested(songRow("s1"), [unit(1, 0, 0, 0), unit(0, 1, 0, 0)]),
          ingested(songRow("s2"), [unit(0, 0, 1, 0)]),
        ]),
      );
      expect(await songs.passageAt("s1", 1)).toEqual({ ordinal: 1, text: "s1 passage 1" });
      expect(await songs.passageAt("s2", 0)).toEqual({ ordinal: 0, text: "s2 passage 0" });
      expect(await songs.passageAt("s2", 1)).toBeNull();
      expect(await songs.passageAt("missing", 0)).toBeNull();
    });

    it("lists an artist's songs newest first, a page at a time, matching whole names only", async () => {
      const { runs, songs } = fx.stores;
      const { lease } = await fx.startedObject();
      const by = (id: string, artists: string[], releaseDate: string | null) =>
        ingested(songRow(id, { artists, releaseDate }), []);
      await runs.commitBatch(
        await fx.batchOf(lease, [
          by("old", ["Ana María"], "1999-05-01"),
          by("duet", ["Bruno", "Ana María"], "2021"),
          by("undated", ["Ana María"], null),
          by("new", ["Ana María"], "2024-01-01"),
          by("same-year", ["Ana María"], "2021-06-01"),
          // Another artist, one whose name holds hers, one with quotes and a wildcard in the name.
          by("other", ["Ana"], "2022"),
          by("longer", ["Ana María Trio"], "2022"),
          by("odd", ['The "100%" Band'], "2010"),
        ]),
      );
      const all = async (artist: string, limit: number) => {
        const pages: string[][] = [];
        let after: Parameters<SongPageStore["songsByArtist"]>[1]["after"];
        for (;;) {
          const rows = await songs.songsByArtist(artist, { limit, ...(after ? { after } : {}) });
          pages.push(rows.map((row) => row.song.id));
          if (rows.length < limit) return pages;
          after = rows.at(-1)!.position;
        }
      };
      // Newest first; songs of one year in catalog order; songs without a date last.
      expect((await all("Ana María", 10)).flat()).toEqual(["new", "duet", "same-year", "old", "undated"]);
      expect(await all("Ana María", 2)).toEqual([["new", "duet"], ["same-year", "old"], ["undated"]]);
      const first = await songs.songsByArtist("Ana María", { limit: 1 });
      expect(first[0]!.song).toMatchObject({ id: "new", artists: ["Ana María"], releaseDate: "2024-01-01" });
      expect((await all("Ana", 10)).flat()).toEqual(["other"]);
      expect((await all("ana maría", 10)).flat()).toEqual([]);
      expect((await all("Ana Maria", 10)).flat()).toEqual([]);
      expect((await all('The "100%" Band', 10)).flat()).toEqual(["odd"]);
      expect((await all("%", 10)).flat()).toEqual([]);
      expect((await all("Nobody", 10)).flat()).toEqual([]);
    });
  });
}
