import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { SongPages } from "../../core/catalog/song-pages.js";
import type { SongHit } from "../../core/search/types.js";
import { errors } from "../schemas.js";
import { presentHits, presentSong } from "./present.js";
import {
  PassageParams,
  PassageSchema,
  SimilarSongsQuery,
  SimilarSongsSchema,
  SongParams,
  SongWithLyricsSchema,
} from "./schema.js";

export interface SongsDeps {
  pages: Pick<SongPages, "song" | "passage">;
  similar(songId: string, k: number): Promise<SongHit[]>;
}

export const songsRoutes =
  (deps: SongsDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/songs/:id",
      {
        schema: {
          tags: ["songs"],
          summary: "One song with its lyrics",
          params: SongParams,
          response: { 200: SongWithLyricsSchema, ...errors(400, 404) },
        },
      },
      async (request) => presentSong(await deps.pages.song(request.params.id)),
    );

    app.get(
      "/api/songs/:id/passages/:ordinal",
      {
        schema: {
          tags: ["songs"],
          summary: "One passage of a song, by the position an answer gives (passage.ordinal)",
          params: PassageParams,
          response: { 200: PassageSchema, ...errors(400, 404) },
        },
      },
      async (request) => deps.pages.passage(request.params.id, request.params.ordinal),
    );

    app.get(
      "/api/songs/:id/similar",
      {
        schema: {
          tags: ["songs"],
          summary: "Songs whose lyrics read like this one's",
          params: SongParams,
          querystring: SimilarSongsQuery,
          response: { 200: SimilarSongsSchema, ...errors(400, 404, 429) },
        },
        config: { rateLimit: "search" },
      },
      async (request) => ({
        results: presentHits(await deps.similar(request.params.id, request.query.k ?? 10)),
      }),
    );
  };
