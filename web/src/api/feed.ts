import { keys } from "./keys.js";
import { usePagedList } from "./pages.js";
import type { FeedItem } from "./types.js";

export const useFeed = (enabled: boolean) => usePagedList<FeedItem>(keys.feed, "/api/feed", enabled);
