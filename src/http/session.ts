/**
 * The session plugin: finds who signed in from the `verso_session` cookie or an
 * `Authorization: Bearer` header and puts it on `request.viewer` for every route, mine and
 * other resources' alike (fastify-plugin lifts the encapsulation). Routes call requireUser /
 * requireAdmin; a missing, unknown, ended or expired token is simply no viewer.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { SessionService } from "../core/accounts/sessions.js";
import type { User, Viewer } from "../core/accounts/user.js";
import { VersoError } from "../core/errors.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The signed-in user of this request, or null. */
    viewer: Viewer | null;
  }
}

export const SESSION_COOKIE = "verso_session";

/** For the OpenAPI document: routes that need a session accept either form. */
export const sessionSecurity: Array<Record<string, string[]>> = [{ bearer: [] }, { cookie: [] }];

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

/**
 * HttpOnly keeps the token away from scripts; SameSite=Lax keeps other sites from sending it
 * with their forms; Secure whenever the client reached us over HTTPS (directly, or through a
 * trusted proxy's X-Forwarded-Proto).
 */
export function setSessionCookie(reply: FastifyReply, token: string, maxAgeSeconds: number): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: reply.request.protocol === "https",
    path: "/",
    maxAge: maxAgeSeconds,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: "lax",
    secure: reply.request.protocol === "https",
    path: "/",
  });
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

/** The signed-in viewer (user and session), or AUTH_REQUIRED (401). */
export function requireViewer(request: FastifyRequest): Viewer {
  if (!request.viewer) throw new VersoError("AUTH_REQUIRED", "sign in first");
  return request.viewer;
}

/** The signed-in user, or AUTH_REQUIRED (401). */
export const requireUser = (request: FastifyRequest): User => requireViewer(request).user;

/** The signed-in administrator (VERSO_ADMINS), or AUTH_REQUIRED (401) / ADMIN_ONLY (403). */
export function requireAdmin(request: FastifyRequest): User {
  const viewer = requireViewer(request);
  if (!viewer.isAdmin) throw new VersoError("ADMIN_ONLY", "only an administrator may do this");
  return viewer.user;
}

/**
 * Route hook for routes that need a session: refuses before the body is even parsed, so an
 * anonymous request gets 401 whatever it sends.
 */
export const signedInOnly = async (request: FastifyRequest): Promise<void> => {
  requireViewer(request);
};
