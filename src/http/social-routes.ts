/** The HTTP routes of accounts and the social network, each resource's plugins in order. */
import type { FastifyPluginAsync } from "fastify";
import type { AccountService } from "../core/accounts/account-service.js";
import type { SessionService } from "../core/accounts/sessions.js";
import type { FeedService } from "../core/social/feed.js";
import type { PeopleService } from "../core/social/people.js";
import type { PromptService } from "../core/social/prompts.js";
import { authRoutes } from "./auth/routes.js";
import { feedRoutes } from "./feed/routes.js";
import { meRoutes } from "./me/routes.js";
import { likeRoutes, promptRoutes } from "./prompts/routes.js";
import { followRoutes, userRoutes } from "./users/routes.js";

export interface SocialRouteServices {
  accounts: AccountService;
  sessions: SessionService;
  prompts: PromptService;
  people: PeopleService;
  feed: FeedService;
}

export const socialRoutes = (services: SocialRouteServices): FastifyPluginAsync[] => [
  authRoutes({ accounts: services.accounts, sessions: services.sessions }),
  meRoutes(services.accounts),
  promptRoutes(services.prompts),
  likeRoutes(services.prompts),
  userRoutes({ people: services.people, prompts: services.prompts }),
  followRoutes(services.people),
  feedRoutes(services.feed),
];
