import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { AccountService } from "../../core/accounts/account-service.js";
import { presentUser } from "../../core/accounts/presenters.js";
import { requireViewer, signedIn } from "../access.js";
import { errors } from "../schemas.js";
import { clearSessionCookie } from "../session-cookie.js";
import { UserSchema } from "../users/schema.js";
import { AccountDeletionBody, PasswordChangeBody, ProfileUpdateBody } from "./schema.js";

export const meRoutes =
  (accounts: AccountService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/me",
      signedIn({
        schema: {
          tags: ["me"],
          summary: "My account",
          response: { 200: UserSchema, ...errors(401) },
        },
      }),
      async (request) => presentUser(requireViewer(request).user),
    );

    app.patch(
      "/api/me",
      signedIn({
        schema: {
          tags: ["me"],
          summary: "Edit my display name and bio, or rename me (needs currentPassword)",
          body: ProfileUpdateBody,
          response: { 200: UserSchema, ...errors(400, 401, 403, 409, 413, 415, 429, 503) },
        },
      }),
      async (request) =>
        presentUser(await accounts.updateProfile(requireViewer(request), request.body, request.ip)),
    );

    app.put(
      "/api/me/password",
      signedIn({
        schema: {
          tags: ["me"],
          summary: "Change my password (needs the current one); ends my other sessions",
          body: PasswordChangeBody,
          response: { 204: Type.Null(), ...errors(400, 401, 403, 413, 415, 429, 503) },
        },
      }),
      async (request, reply) => {
        await accounts.changePassword(requireViewer(request), request.body, request.ip);
        return reply.status(204).send(null);
      },
    );

    app.delete(
      "/api/me",
      signedIn({
        schema: {
          tags: ["me"],
          summary: "Delete my account with my prompts, likes and follows (needs the password)",
          body: AccountDeletionBody,
          response: { 204: Type.Null(), ...errors(400, 401, 403, 413, 415, 429, 503) },
        },
      }),
      async (request, reply) => {
        await accounts.deleteAccount(requireViewer(request), request.body, request.ip);
        clearSessionCookie(reply);
        return reply.status(204).send(null);
      },
    );
  };
