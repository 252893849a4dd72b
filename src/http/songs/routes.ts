import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { SongStore } from "../../core/catalog/store.js";
import { VersoError } from "../../core/errors.js";
import type { SongHit } from "../../core/search/types.js";
import { errors, TextInteger } from "../schemas.js";

const SongParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

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
          response: {
            200: Type.Intersect([
              Type.Ref("Song"),
              Type.Object({ lyrics: Type.Union([Type.String(), Type.Null()]) }),
            ]),
            ...errors(400, 404),
          },
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
          querystring: Type.Object({
            k: Type.Optional(TextInteger({ minimum: 1, maximum: 50, default: 10 })),
          }),
          response: {
            200: Type.Object({ results: Type.Array(Type.Ref("SongHit")) }),
            ...errors(400, 404, 429),
          },
        },
        config: { rateLimit: "similar" },
      },
      async (request) => ({ results: await deps.similar(request.params.id, request.query.k ?? 10) }),
    );
  };
