import type { FeedItem, Prompt } from "../../api/types.js";

/** The same prompt can be in a feed twice, as a post and as someone's repost. */
export const promptKey = (item: Prompt | FeedItem): string =>
  "repostedBy" in item && item.repostedBy ? `${item.id}-repost-${item.repostedBy.id}` : `${item.id}`;
