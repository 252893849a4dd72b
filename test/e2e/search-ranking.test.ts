/**
 * What the ranking does beyond its signals, on a small catalog through the real pipeline and
 * model: one result per song, and a prompt in another language than the model's embedded in
 * translation while its own words still search the lyrics.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryCache } from "../../src/adapters/cache/memory.js";
import type { Translator } from "../../src/core/ports.js";
import { SearchService, type RankingTuning } from "../../src/core/search/search-service.js";
import { ingestOnce } from "../../src/roles/ingest-once.js";
import { openTestVerso, tempDir, writeCsv } from "../support/verso.js";

const header = ["id", "name", "album_name", "artists", "lyrics"];
const songs = [
  [
    "h1",
    "Harbour Lights",
    "Piers",
    "['The Testers']",
    "the boats come home at night\nand the harbour lights are on\nthe sailors climb the stairs",
  ],
  [
    "h2",
    "Harbour Lights (Remastered 2020)",
    "Best Of",
    "['The Testers']",
    "the boats come home at night\nand the harbour lights are on\nthe sailors climb the stairs",
  ],
  [
    "d1",
    "Desert Road",
    "Dust",
    "['Other Band']",
    "a dry road through the desert\nno water for a hundred miles\nthe sun beats on the car",
  ],
  [
    "m1",
    "Madre",
    "Casa",
    "['La Banda']",
    "madre querida tú me criaste\ncon tus manos y tu amor\nmadre de mi corazón",
  ],
  [
    "c1",
    "Kitchen",
    "Home",
    "['Other Band']",
    "dancing in the kitchen with my love\nthe radio is playing loud\nwe spin around the table",
  ],
];

describe("ranking", () => {
  let t: Awaited<ReturnType<typeof openTestVerso>>;
  let bucket: string;

  beforeAll(async () => {
    bucket = tempDir("verso-ranking-");
    writeCsv(path.join(bucket, "songs.csv"), header, songs);
    t = await openTestVerso();
    const run = await ingestOnce(t.verso, `file://${bucket}`);
    expect(run.objects[0]?.songs).toBe(songs.length);
  }, 300_000);
  afterAll(async () => {
    await t?.close();
    fs.rmSync(bucket, { recursive: true, force: true });
  });

  it("lists a song once, however many copies the catalog holds, keeping the best-placed one", async () => {
    const answer = await (
      await t.verso.search()
    ).ask({ prompt: "boats coming home to the harbour lights", k: 5 });
    const ids = answer.results.map((r) => r.song.id);
    expect(ids.filter((id) => id === "h1" || id === "h2")).toHaveLength(1);
    expect(["h1", "h2"]).toContain(ids[0]);
    expect(ids).toHaveLength(songs.length - 1);
  });

  it("embeds a Spanish prompt in translation, and searches its own words too", async () => {
    const asked: string[][] = [];
    const translations: Record<string, string> = {
      "canciones para bailar en la cocina con mi amor": "songs to dance in the kitchen with my love",
      "canciones para mi madre querida": "songs for my dear mother",
    };
    const translator: Translator = {
      pairs: ["es-en"],
      async translate(text, from, to) {
        asked.push([text, from, to]);
        return translations[text];
      },
      translateAll: async () => undefined,
      async close() {},
    };
    const { changeLog } = await t.verso.catalogStores();
    const searchWith = async (withTranslator?: Translator, tuning?: Partial<RankingTuning>) =>
      new SearchService({
        ...(tuning ? { tuning } : {}),
        store: await t.verso.songStore(),
        index: await t.verso.index(),
        embedder: await t.verso.embedder(),
        cache: createMemoryCache(),
        cacheTtlSeconds: 0,
        catalogVersion: () => changeLog.catalogVersion(),
        translator: withTranslator,
      });
    const search = await searchWith(translator);
    const spanish = await search.ask({ prompt: "canciones para bailar en la cocina con mi amor", k: 3 });
    expect(asked).toEqual([["canciones para bailar en la cocina con mi amor", "es", "en"]]);
    // The English song it asks for shares no word with the prompt: only the translation finds it.
    expect(spanish.results.map((r) => r.song.id)).toContain("c1");
    // Its own words find the Spanish song the English translation would not.
    const words = await search.ask({ prompt: "canciones para mi madre querida", k: 3 });
    expect(words.results[0]?.song.id).toBe("m1");
    const untranslated = await (
      await searchWith()
    ).ask({
      prompt: "canciones para bailar en la cocina con mi amor",
      k: 1,
    });
    expect(untranslated.results.map((r) => r.song.id)).not.toContain("c1");
    asked.length = 0;
    await search.ask({ prompt: "songs about a long desert road", k: 3 });
    expect(asked).toEqual([]);
    // A tuning that embeds prompts as written never asks the translator.
    const asWritten = await (
      await searchWith(translator, { translatePrompts: false })
    ).ask({ prompt: "canciones para bailar en la cocina con mi amor", k: 1 });
    expect(asked).toEqual([]);
    expect(asWritten.results.map((r) => r.song.id)).not.toContain("c1");
  });
});
