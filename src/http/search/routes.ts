import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { SongSearch } from "../../core/search/types.js";
import { errors } from "../schemas.js";
import { AskBody, AskResponseSchema } from "./schema.js";

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
          response: { 200: AskResponseSchema, ...errors(400, 413, 415, 429, 503) },
        },
        config: { rateLimit: "search" },
      },
      async (request) => search.ask(request.body),
    );
  };
