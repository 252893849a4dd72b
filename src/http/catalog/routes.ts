import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { CatalogService } from "../../core/catalog/catalog-service.js";
import { requireAdmin, sessionSecurity } from "../access.js";
import { errors, PageQuery } from "../schemas.js";
import { CatalogStatusSchema, ScanReportSchema } from "./schema.js";

/** What the routes ask of the catalog: its status and a scan. */
export type CatalogRoutesDeps = Pick<CatalogService, "status" | "scan">;

export const catalogRoutes =
  (catalog: CatalogRoutesDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/catalog/status",
      {
        schema: {
          tags: ["catalog"],
          summary: "What the catalog holds and how ingest is going, a page of objects at a time",
          querystring: PageQuery,
          response: { 200: CatalogStatusSchema, ...errors(400) },
        },
      },
      async (request) =>
        catalog.status({
          ...(request.query.cursor !== undefined ? { cursor: request.query.cursor } : {}),
          limit: request.query.limit ?? 20,
          admin: request.viewer?.isAdmin ?? false,
        }),
    );

    app.post(
      "/api/catalog/scan",
      {
        schema: {
          tags: ["catalog"],
          summary: "List the bucket now, queue new or changed objects and failed ones again (administrators)",
          security: sessionSecurity,
          response: { 202: ScanReportSchema, ...errors(401, 403) },
        },
        preHandler: async (request) => {
          requireAdmin(request);
        },
      },
      async (_request, reply) => reply.status(202).send(await catalog.scan()),
    );
  };
