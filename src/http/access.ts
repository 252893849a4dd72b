/**
 * Who may call a route, from the viewer the session plugin found: `signedIn(options)` marks a
 * route that needs a session (refused with 401 before its body is even read, and documented as
 * such), and handlers take the viewer with `requireViewer` or `requireAdmin`.
 */
import type { FastifyContextConfig, FastifyRequest, FastifySchema } from "fastify";
import type { User, Viewer } from "../core/accounts/user.js";
import { VersoError } from "../core/errors.js";

/** For the OpenAPI document: routes that need a session accept either form. */
export const sessionSecurity: Array<Record<string, string[]>> = [{ bearer: [] }, { cookie: [] }];

/** The signed-in viewer (user and session), or AUTH_REQUIRED (401). */
export function requireViewer(request: FastifyRequest): Viewer {
  if (!request.viewer) throw new VersoError("AUTH_REQUIRED", "sign in first");
  return request.viewer;
}

/** The signed-in administrator (VERSO_ADMINS), or AUTH_REQUIRED (401) / ADMIN_ONLY (403). */
export function requireAdmin(request: FastifyRequest): User {
  const viewer = requireViewer(request);
  if (!viewer.isAdmin) throw new VersoError("ADMIN_ONLY", "only an administrator may do this");
  return viewer.user;
}

const refuseAnonymous = async (request: FastifyRequest): Promise<void> => {
  requireViewer(request);
};

/**
 * The options of a route that needs a session: an anonymous request gets 401 whatever it sends,
 * and the OpenAPI document names the session's two forms.
 */
export const signedIn = <Options extends { schema: FastifySchema; config?: FastifyContextConfig }>(
  options: Options,
) => ({
  ...options,
  schema: { ...options.schema, security: sessionSecurity },
  onRequest: refuseAnonymous,
});
