import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FeedService } from "../../core/social/feed.js";
import { errors } from "../schemas.js";
import { requireViewer, sessionSecurity, signedInOnly } from "../session.js";
import { PageQuery, Paged } from "../users/schema.js";
import { FeedItemSchema } from "./schema.js";

export const feedRoutes =
  (feed: FeedService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/feed",
      {
        schema: {
          tags: ["feed"],
          summary: "Prompts and reposts of the people I follow and my own, newest first",
          security: sessionSecurity,
          querystring: PageQuery,
          response: { 200: Paged(FeedItemSchema), ...errors(400, 401) },
        },
        onRequest: signedInOnly,
      },
      async (request) => feed.page(requireViewer(request), request.query),
    );
  };
