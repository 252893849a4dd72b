/** Song search for tests that need answers without a catalog or a model. */
import { emptyFeatures, type Song } from "../../src/core/catalog/song.js";
import { VersoError } from "../../src/core/errors.js";
import type { AskRequest, AskResult, SongSearch } from "../../src/core/search/types.js";

export interface FakeSongSearch extends SongSearch {
  asked: AskRequest[];
  /** When set, ask() throws it. */
  failWith: Error | null;
  /** What every answer says of a re-embedding under way. */
  reembedding: AskResult["reembedding"];
}

/** A song named after the prompt, so tests can tell which prompt was asked. */
const songFor = (prompt: string): Song => ({
  id: `song-for-${prompt.length}`,
  title: `A song about ${prompt}`,
  artists: ["The Fakes"],
  album: null,
  genre: "pop",
  language: "en",
  releaseDate: null,
  features: { ...emptyFeatures(), energy: 0.5 },
});

/**
 * Answers one song named after the prompt; or, given songs, the first k of them in their order
 * (each passage is named after the prompt).
 */
export function fakeSongSearch(songs?: readonly Song[]): FakeSongSearch {
  const fake: FakeSongSearch = {
    asked: [],
    failWith: null,
    reembedding: null,
    async ask(request): Promise<AskResult> {
      fake.asked.push(request);
      if (fake.failWith) throw fake.failWith;
      return {
        prompt: request.prompt,
        k: request.k ?? 10,
        fit: null,
        cached: false,
        catalogVersion: 1,
        reembedding: fake.reembedding,
        results: (songs?.slice(0, request.k ?? 10) ?? [songFor(request.prompt)]).map((song, i) => ({
          song,
          score: 0.9 - i / 100,
          passage: { text: `a line about ${request.prompt}`, ordinal: 0 },
        })),
      };
    },
  };
  return fake;
}

export const catalogNotReady = (): VersoError =>
  new VersoError("CATALOG_NOT_READY", "the catalog is loading");
