import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { SongStore } from "../../core/catalog/store.js";
import { VersoError } from "../../core/errors.js";
import type { SongHit } from "../../core/search/types.js";
import { errors } from "../schemas.js";
import { SimilarSongsQuery, SimilarSongsSchema, SongParams, SongWithLyricsSchema } from "./schema.js";

export interface SongsDeps {
  store: SongStore;
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
      async (request) => {
        const song = await deps.store.getSong(request.params.id);
        if (!song) throw new VersoError("SONG_NOT_FOUND", `no song with id ${request.params.id}`);
        return song;
      },
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
      async (request) => ({ results: await deps.similar(request.params.id, request.query.k ?? 10) }),
    );
  };
