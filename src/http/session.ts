/**
 * The session plugin: finds who signed in from the session cookie or an `Authorization: Bearer`
 * header and puts it on `request.viewer` for every route, mine and other resources' alike
 * (fastify-plugin lifts the encapsulation). A missing, unknown, ended or expired token is simply
 * no viewer; routes that need one say so with access.ts.
 */
import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { SessionService } from "../core/accounts/sessions.js";
import type { Viewer } from "../core/accounts/user.js";
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie } from "./session-cookie.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The signed-in user of this request, or null. */
    viewer: Viewer | null;
  }
}

interface PresentedToken {
  token: string;
  from: "header" | "cookie";
}

function presentedToken(request: FastifyRequest): PresentedToken | null {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1] ? { token: match[1], from: "header" } : null;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  return cookie ? { token: cookie, from: "cookie" } : null;
}

export const sessionPlugin = (sessions: SessionService): FastifyPluginAsync =>
  fp(
    async (app) => {
      app.decorateRequest("viewer", null);
      app.addHook("onRequest", async (request, reply) => {
        const presented = presentedToken(request);
        if (!presented) return;
        const authentication = await sessions.authenticate(presented.token);
        if (!authentication) {
          if (presented.from === "cookie") clearSessionCookie(reply);
          return;
        }
        request.viewer = authentication.viewer;
        // The cookie lives as long as the session: each extension of one extends the other.
        if (authentication.extended && presented.from === "cookie") {
          setSessionCookie(reply, presented.token, sessions.ttlSeconds);
        }
      });
    },
    { name: "verso-session", dependencies: ["@fastify/cookie"] },
  );
