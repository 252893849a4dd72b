import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { PromptService } from "../../core/social/prompts.js";
import { requireViewer, signedIn } from "../access.js";
import { errors, NoBody, Paged } from "../schemas.js";
import { presentHits } from "../songs/present.js";
import { PromptBody, PromptListQuery, PromptParams, PromptSchema, PromptWithSongsSchema } from "./schema.js";

/** Publishing, finding, reading, editing and deleting prompts. */
export const promptRoutes =
  (prompts: PromptService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      "/api/prompts",
      signedIn({
        schema: {
          tags: ["prompts"],
          summary: "Publish a prompt",
          body: PromptBody,
          response: { 201: PromptSchema, ...errors(400, 401, 413, 415, 429) },
        },
        config: { rateLimit: "publish" },
      }),
      async (request, reply) =>
        reply.status(201).send(await prompts.publish(requireViewer(request), request.body.text)),
    );

    app.get(
      "/api/prompts",
      {
        schema: {
          tags: ["prompts"],
          summary:
            "Search prompts by words and meaning (best first, newest among equals), or the newest prompts",
          querystring: PromptListQuery,
          response: { 200: Paged(PromptSchema), ...errors(400) },
        },
      },
      async (request) => prompts.list(request.query, request.viewer),
    );

    app.get(
      "/api/prompts/:id",
      {
        schema: {
          tags: ["prompts"],
          summary: "One prompt with the songs it finds",
          params: PromptParams,
          response: { 200: PromptWithSongsSchema, ...errors(400, 404, 429) },
        },
        // It answers the prompt's songs: a search.
        config: { rateLimit: "search" },
      },
      async (request) => {
        const { prompt, results, resultsError } = await prompts.read(request.params.id, request.viewer);
        return { ...prompt, results: presentHits(results), resultsError };
      },
    );

    app.patch(
      "/api/prompts/:id",
      signedIn({
        schema: {
          tags: ["prompts"],
          summary: "Edit my prompt",
          params: PromptParams,
          body: PromptBody,
          response: { 200: PromptSchema, ...errors(400, 401, 403, 404, 413, 415, 429) },
        },
        // A write, and a new text whose songs its page then searches.
        config: { rateLimit: ["publish", "search"] },
      }),
      async (request) => prompts.edit(requireViewer(request), request.params.id, request.body.text),
    );

    app.delete(
      "/api/prompts/:id",
      signedIn({
        schema: {
          tags: ["prompts"],
          summary: "Delete my prompt",
          params: PromptParams,
          body: NoBody,
          response: { 204: Type.Null(), ...errors(400, 401, 403, 404) },
        },
      }),
      async (request, reply) => {
        await prompts.remove(requireViewer(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
  };

/** Likes, which also repost the prompt to the liker's followers. */
export const likeRoutes =
  (prompts: PromptService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.put(
      "/api/prompts/:id/like",
      signedIn({
        schema: {
          tags: ["prompts"],
          summary: "Like a prompt, which also reposts it to my followers (idempotent)",
          params: PromptParams,
          body: NoBody,
          response: { 200: PromptSchema, ...errors(400, 401, 404, 429) },
        },
        config: { rateLimit: "like" },
      }),
      async (request) => prompts.like(requireViewer(request), request.params.id),
    );

    app.delete(
      "/api/prompts/:id/like",
      signedIn({
        schema: {
          tags: ["prompts"],
          summary: "Take my like and its repost back (idempotent)",
          params: PromptParams,
          body: NoBody,
          response: { 200: PromptSchema, ...errors(400, 401, 404, 429) },
        },
        config: { rateLimit: "like" },
      }),
      async (request) => prompts.unlike(requireViewer(request), request.params.id),
    );
  };
