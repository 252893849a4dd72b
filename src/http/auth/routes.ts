import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { AccountService } from "../../core/accounts/account-service.js";
import { presentUser } from "../../core/accounts/presenters.js";
import type { SessionService } from "../../core/accounts/sessions.js";
import { requireViewer, signedIn } from "../access.js";
import { errors, NoBody } from "../schemas.js";
import { clearSessionCookie, setSessionCookie } from "../session-cookie.js";
import { CredentialsBody, SessionSchema, SignedInSchema } from "./schema.js";

export interface AuthRoutesDeps {
  accounts: AccountService;
  sessions: SessionService;
}

export const authRoutes =
  ({ accounts, sessions }: AuthRoutesDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      "/api/auth/register",
      {
        schema: {
          tags: ["auth"],
          summary: "Create an account and sign in",
          body: CredentialsBody,
          response: { 201: SignedInSchema, ...errors(400, 409, 413, 415, 429, 503) },
        },
      },
      async (request, reply) => {
        const { token, user } = await accounts.register({ ...request.body, address: request.ip });
        setSessionCookie(reply, token, sessions.ttlSeconds);
        return reply.status(201).send({ token, user: presentUser(user) });
      },
    );

    app.post(
      "/api/auth/login",
      {
        schema: {
          tags: ["auth"],
          summary: "Sign in: a new session every time",
          body: CredentialsBody,
          response: { 200: SignedInSchema, ...errors(400, 401, 413, 415, 429, 503) },
        },
      },
      async (request, reply) => {
        const { token, user } = await accounts.login({ ...request.body, address: request.ip });
        setSessionCookie(reply, token, sessions.ttlSeconds);
        return { token, user: presentUser(user) };
      },
    );

    app.get(
      "/api/session",
      {
        schema: {
          tags: ["auth"],
          summary: "Who is signed in (user null for a visitor) and whether they are an administrator",
          response: { 200: SessionSchema },
        },
      },
      async (request) =>
        request.viewer
          ? { user: presentUser(request.viewer.user), isAdmin: request.viewer.isAdmin }
          : { user: null, isAdmin: false },
    );

    app.post(
      "/api/auth/logout",
      signedIn({
        schema: {
          tags: ["auth"],
          summary: "End this session on the server",
          body: NoBody,
          response: { 204: Type.Null(), ...errors(400, 401) },
        },
      }),
      async (request, reply) => {
        await accounts.logout(requireViewer(request));
        clearSessionCookie(reply);
        return reply.status(204).send(null);
      },
    );
  };
