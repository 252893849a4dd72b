/** Every store of the social domain over one Kysely instance. */
import type {
  FeedStore,
  GraphStore,
  PeopleStore,
  PromptStore,
  PromptVectorStore,
} from "../../../core/social/store.js";
import type { SqlContext } from "../dialect-sql.js";
import { createSqlFeedStore } from "./feed-store.js";
import { createSqlGraphStore, createSqlPeopleStore } from "./graph-store.js";
import { createSqlPromptStore } from "./prompt-store.js";
import { createSqlPromptVectorStore } from "./prompt-vector-store.js";

export interface SocialStores {
  prompts: PromptStore;
  graph: GraphStore;
  people: PeopleStore;
  feed: FeedStore;
  promptVectors: PromptVectorStore;
}

export const createSqlSocialStores = (context: SqlContext): SocialStores => ({
  prompts: createSqlPromptStore(context),
  graph: createSqlGraphStore(context),
  people: createSqlPeopleStore(context),
  feed: createSqlFeedStore(context),
  promptVectors: createSqlPromptVectorStore(context),
});
