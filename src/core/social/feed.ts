import type { Viewer } from "../accounts/user.js";
import { cursorCodec, pageOf, type Page } from "./cursor.js";
import { presentFeedItem, type FeedItemView } from "./presenters.js";
import type { FeedStore } from "./store.js";

const feedCodec = cursorCodec("feed", ["integer"]);

/** My home timeline: what I and the people I follow posted or reposted, newest first. */
export class FeedService {
  constructor(private readonly store: FeedStore) {}

  async page(viewer: Viewer, options: { cursor?: string; limit: number }): Promise<Page<FeedItemView>> {
    const before = options.cursor === undefined ? null : feedCodec.decode(options.cursor)[0];
    const rows = await this.store.page({
      viewerId: viewer.user.id,
      beforeActivityId: before,
      limit: options.limit + 1,
    });
    return pageOf(rows, options.limit, feedCodec, (entry) => [entry.activityId], presentFeedItem);
  }
}
