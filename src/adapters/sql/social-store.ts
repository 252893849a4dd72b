/** Every store of the social domain over one Kysely instance. */
import type { Kysely } from "kysely";
import type { FeedStore, GraphStore, PeopleStore, PromptStore } from "../../core/social/store.js";
import type { Database } from "./schema/index.js";
import { createSqlFeedStore } from "./social-feed-store.js";
import { createSqlGraphStore, createSqlPeopleStore } from "./social-graph-store.js";
import { createSqlPromptStore } from "./social-prompt-store.js";

export interface SocialStores {
  prompts: PromptStore;
  graph: GraphStore;
  people: PeopleStore;
  feed: FeedStore;
}

export const createSqlSocialStores = (db: Kysely<Database>): SocialStores => ({
  prompts: createSqlPromptStore(db),
  graph: createSqlGraphStore(db),
  people: createSqlPeopleStore(db),
  feed: createSqlFeedStore(db),
});
