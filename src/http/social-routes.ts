/**
 * The HTTP routes of accounts and the social network, the session plugin first so every later
 * route (of any resource) sees `request.viewer`, then the request limits of every resource.
 */
import type { FastifyPluginAsync } from "fastify";
import type { RequestLimits } from "../core/limits/request-limits.js";
import type { AccountService } from "../core/accounts/account-service.js";
import type { SessionService } from "../core/accounts/sessions.js";
import type { FeedService } from "../core/social/feed.js";
import type { PeopleService } from "../core/social/people.js";
import type { PromptService } from "../core/social/prompts.js";
import { authRoutes } from "./auth/routes.js";
import { feedRoutes } from "./feed/routes.js";
import { meRoutes } from "./me/routes.js";
import { promptRoutes } from "./prompts/routes.js";
import { rateLimitPlugin } from "./rate-limit.js";
import { sessionPlugin } from "./session.js";
import { userRoutes } from "./users/routes.js";

export interface SocialRouteServices {
  /** Limits on the costly routes of every resource; null for none. */
  limits?: RequestLimits | null;
  accounts: AccountService;
  sessions: SessionService;
  prompts: PromptService;
  people: PeopleService;
  feed: FeedService;
}

export const socialRoutes = (services: SocialRouteServices): FastifyPluginAsync[] => [
  sessionPlugin(services.sessions),
  // After the session, so that a signed-in account is counted as itself.
  rateLimitPlugin(services.limits ?? null),
  authRoutes({ accounts: services.accounts, sessions: services.sessions }),
  meRoutes(services.accounts),
  promptRoutes(services.prompts),
  userRoutes({ people: services.people, prompts: services.prompts }),
  feedRoutes(services.feed),
];
