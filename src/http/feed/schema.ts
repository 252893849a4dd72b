import { Type } from "typebox";
import { PromptSchema } from "../prompts/schema.js";
import { Nullable } from "../schemas.js";
import { UserRefSchema } from "../users/schema.js";

export const FeedItemSchema = Type.Object(
  {
    ...PromptSchema.properties,
    repostedBy: Nullable(UserRefSchema, {
      description: "who liked it into this feed; null for the author's own post",
    }),
    repostedAt: Nullable(Type.String({ format: "date-time" })),
  },
  { description: "a post or a repost in the feed" },
);
