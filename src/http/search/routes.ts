import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { SongSearch } from "../../core/search/types.js";
import { errors } from "../schemas.js";
import { presentHits } from "../songs/present.js";
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
      async (request) => {
        const answer = await search.ask(request.body);
        return { ...answer, results: presentHits(answer.results) };
      },
    );
  };
