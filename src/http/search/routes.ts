import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { SongSearch } from "../../core/search/types.js";
import { DEFAULT_K, MAX_K, MAX_PROMPT_LENGTH, MIN_K } from "../../core/search/types.js";
import { errors } from "../schemas.js";

export const AskBody = Type.Object(
  {
    prompt: Type.String({
      description: `what the songs should be about, up to ${MAX_PROMPT_LENGTH} characters; "top N …" sets how many`,
    }),
    k: Type.Optional(
      Type.Integer({ minimum: MIN_K, maximum: MAX_K, description: `how many songs (default ${DEFAULT_K})` }),
    ),
    filters: Type.Optional(
      Type.Object(
        {
          language: Type.Optional(Type.String({ maxLength: 16, description: "ISO 639-1 code, e.g. en, es" })),
          genre: Type.Optional(Type.String({ maxLength: 100 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const AskResponse = Type.Object({
  prompt: Type.String(),
  k: Type.Integer(),
  cached: Type.Boolean(),
  catalogVersion: Type.Integer(),
  results: Type.Array(Type.Ref("SongHit")),
});

export const searchRoutes =
  (search: SongSearch): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      "/api/ask",
      {
        schema: {
          tags: ["search"],
          summary: "Songs whose lyrics fit a prompt, each with the passage that matched",
          body: AskBody,
          response: { 200: AskResponse, ...errors(400, 413, 415, 503) },
        },
      },
      async (request) => search.ask(request.body),
    );
  };
