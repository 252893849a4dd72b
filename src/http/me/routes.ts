import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { AccountService } from "../../core/accounts/account-service.js";
import { presentUser } from "../../core/accounts/presenters.js";
import { errors } from "../schemas.js";
import { clearSessionCookie, requireViewer, sessionSecurity, signedInOnly } from "../session.js";
import { UserSchema } from "../users/schema.js";
import { AccountDeletionBody, PasswordChangeBody, ProfileUpdateBody } from "./schema.js";

export const meRoutes =
  (accounts: AccountService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/me",
      {
        schema: {
          tags: ["me"],
          summary: "My account",
          security: sessionSecurity,
          response: { 200: UserSchema, ...errors(401) },
        },
        onRequest: signedInOnly,
      },
      async (request) => presentUser(requireViewer(request).user),
    );

    app.patch(
      "/api/me",
      {
        schema: {
          tags: ["me"],
          summary: "Edit my display name and bio, or rename me (needs currentPassword)",
          security: sessionSecurity,
          body: ProfileUpdateBody,
          response: { 200: UserSchema, ...errors(400, 401, 403, 409, 413, 415, 429, 503) },
        },
        onRequest: signedInOnly,
      },
      async (request) =>
        presentUser(await accounts.updateProfile(requireViewer(request), request.body, request.ip)),
    );

    app.put(
      "/api/me/password",
      {
        schema: {
          tags: ["me"],
          summary: "Change my password (needs the current one); ends my other sessions",
          security: sessionSecurity,
          body: PasswordChangeBody,
          response: { 204: Type.Null(), ...errors(400, 401, 403, 413, 415, 429, 503) },
        },
        onRequest: signedInOnly,
      },
      async (request, reply) => {
        await accounts.changePassword(requireViewer(request), request.body, request.ip);
        return reply.status(204).send(null);
      },
    );

    app.delete(
      "/api/me",
      {
        schema: {
          tags: ["me"],
          summary: "Delete my account with my prompts, likes and follows (needs the password)",
          security: sessionSecurity,
          body: AccountDeletionBody,
          response: { 204: Type.Null(), ...errors(400, 401, 403, 413, 415, 429, 503) },
        },
        onRequest: signedInOnly,
      },
      async (request, reply) => {
        await accounts.deleteAccount(requireViewer(request), request.body, request.ip);
        clearSessionCookie(reply);
        return reply.status(204).send(null);
      },
    );
  };
