/**
 * The session cookie. HttpOnly keeps the token away from scripts; SameSite=Lax keeps other
 * sites from sending it with their forms; Secure whenever the client reached us over HTTPS
 * (directly, or through a trusted proxy's X-Forwarded-Proto).
 */
import type { FastifyReply } from "fastify";

export const SESSION_COOKIE = "verso_session";

const attributes = (reply: FastifyReply) =>
  ({ httpOnly: true, sameSite: "lax", secure: reply.request.protocol === "https", path: "/" }) as const;

export function setSessionCookie(reply: FastifyReply, token: string, maxAgeSeconds: number): void {
  reply.setCookie(SESSION_COOKIE, token, { ...attributes(reply), maxAge: maxAgeSeconds });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, attributes(reply));
}
