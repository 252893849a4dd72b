/**
 * What every API route relies on, registered before any of them: that an ingest in the same
 * process waits while a request is answered (foreground.ts), who asks (the session plugin
 * puts the viewer on each request) and what they may spend (the request limits each route
 * names), the session first so that a signed-in account is counted as itself.
 */
import type { FastifyPluginAsync } from "fastify";
import type { SessionService } from "../core/accounts/sessions.js";
import type { ForegroundWork } from "../core/foreground-work.js";
import type { RequestLimits } from "../core/limits/request-limits.js";
import { foregroundPlugin } from "./foreground.js";
import { rateLimitPlugin } from "./rate-limit.js";
import { sessionPlugin } from "./session.js";

export interface ApiPluginsDeps {
  sessions: SessionService;
  /** Limits on the costly routes of every resource; null for none. */
  limits?: RequestLimits | null;
  /** Where the process counts the requests being answered, so that its ingest waits for them. */
  foreground?: Pick<ForegroundWork, "begin">;
}

export const apiPlugins = ({ sessions, limits, foreground }: ApiPluginsDeps): FastifyPluginAsync[] => [
  ...(foreground ? [foregroundPlugin(foreground)] : []),
  sessionPlugin(sessions),
  rateLimitPlugin(limits ?? null),
];
