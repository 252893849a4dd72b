import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { PeopleService } from "../../core/social/people.js";
import type { PromptService } from "../../core/social/prompts.js";
import { PromptSchema } from "../prompts/schema.js";
import { requireViewer, signedIn } from "../access.js";
import { errors, NoBody, PageQuery, Paged } from "../schemas.js";
import {
  MovedSchema,
  ProfileSchema,
  SuggestionsQuery,
  SuggestionsSchema,
  UsernameParams,
  UserSchema,
  UserSearchQuery,
} from "./schema.js";

export interface UserRoutesDeps {
  people: PeopleService;
  prompts: PromptService;
}

/** Finding people, their profiles and their prompts. */
export const userRoutes =
  ({ people, prompts }: UserRoutesDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/users",
      {
        schema: {
          tags: ["users"],
          summary: "Find people by name: usernames starting with q first",
          querystring: UserSearchQuery,
          response: { 200: Paged(UserSchema), ...errors(400, 429) },
        },
        config: { rateLimit: "search" },
      },
      async (request) => people.search(request.query.q, request.query),
    );

    app.get(
      "/api/users/random",
      {
        schema: {
          tags: ["users"],
          summary: "People to discover, never me nor those I follow",
          querystring: SuggestionsQuery,
          response: { 200: SuggestionsSchema, ...errors(400) },
        },
      },
      async (request) => ({ items: await people.suggestions(request.viewer, request.query.n) }),
    );

    app.get(
      "/api/users/:name",
      {
        schema: {
          tags: ["users"],
          summary: "A profile with counts and whether I follow them",
          description:
            "A name someone renamed away from answers 308 to their profile under the name they go by now, until someone else takes the name.",
          params: UsernameParams,
          response: { 200: ProfileSchema, 308: MovedSchema, ...errors(400, 404) },
        },
      },
      async (request, reply) => {
        const found = await people.profile(request.params.name, request.viewer);
        if (!("movedTo" in found)) return found;
        return reply
          .code(308)
          .header("location", `/api/users/${encodeURIComponent(found.movedTo)}`)
          .send(found);
      },
    );

    app.get(
      "/api/users/:name/prompts",
      {
        schema: {
          tags: ["users"],
          summary: "Their prompts, newest first",
          params: UsernameParams,
          querystring: PageQuery,
          response: { 200: Paged(PromptSchema), ...errors(400, 404) },
        },
      },
      async (request) => prompts.listByAuthor(request.params.name, request.query, request.viewer),
    );
  };

/** Following people, and who follows whom. */
export const followRoutes =
  (people: PeopleService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.put(
      "/api/users/:name/follow",
      signedIn({
        schema: {
          tags: ["users"],
          summary: "Follow them (idempotent); answers their profile",
          params: UsernameParams,
          body: NoBody,
          response: { 200: ProfileSchema, ...errors(400, 401, 404, 429) },
        },
        config: { rateLimit: "follow" },
      }),
      async (request) => people.follow(requireViewer(request), request.params.name),
    );

    app.delete(
      "/api/users/:name/follow",
      signedIn({
        schema: {
          tags: ["users"],
          summary: "Stop following them (idempotent); answers their profile",
          params: UsernameParams,
          body: NoBody,
          response: { 200: ProfileSchema, ...errors(400, 401, 404, 429) },
        },
        config: { rateLimit: "follow" },
      }),
      async (request) => people.unfollow(requireViewer(request), request.params.name),
    );

    app.get(
      "/api/users/:name/following",
      {
        schema: {
          tags: ["users"],
          summary: "Whom they follow, newest follow first",
          params: UsernameParams,
          querystring: PageQuery,
          response: { 200: Paged(UserSchema), ...errors(400, 404) },
        },
      },
      async (request) => people.following(request.params.name, request.query),
    );

    app.get(
      "/api/users/:name/followers",
      {
        schema: {
          tags: ["users"],
          summary: "Who follows them, newest follow first",
          params: UsernameParams,
          querystring: PageQuery,
          response: { 200: Paged(UserSchema), ...errors(400, 404) },
        },
      },
      async (request) => people.followers(request.params.name, request.query),
    );
  };
