/**
 * What every API route relies on, registered before any of them: who asks (the session plugin
 * puts the viewer on each request) and what they may spend (the request limits each route
 * names), the session first so that a signed-in account is counted as itself.
 */
import type { FastifyPluginAsync } from "fastify";
import type { SessionService } from "../core/accounts/sessions.js";
import type { RequestLimits } from "../core/limits/request-limits.js";
import { rateLimitPlugin } from "./rate-limit.js";
import { sessionPlugin } from "./session.js";

export interface ApiPluginsDeps {
  sessions: SessionService;
  /** Limits on the costly routes of every resource; null for none. */
  limits?: RequestLimits | null;
}

export const apiPlugins = ({ sessions, limits }: ApiPluginsDeps): FastifyPluginAsync[] => [
  sessionPlugin(sessions),
  rateLimitPlugin(limits ?? null),
];
