import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FeedService } from "../../core/social/feed.js";
import { requireViewer, signedIn } from "../access.js";
import { errors, PageQuery, Paged } from "../schemas.js";
import { FeedItemSchema } from "./schema.js";

export const feedRoutes =
  (feed: FeedService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/feed",
      signedIn({
        schema: {
          tags: ["feed"],
          summary: "Prompts and reposts of the people I follow and my own, newest first",
          querystring: PageQuery,
          response: { 200: Paged(FeedItemSchema), ...errors(400, 401) },
        },
      }),
      async (request) => feed.page(requireViewer(request), request.query),
    );
  };
