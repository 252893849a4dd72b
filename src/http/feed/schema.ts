import { Type } from "typebox";
import { PromptSchema } from "../prompts/schema.js";
import { UserRefSchema } from "../users/schema.js";

export const FeedItemSchema = Type.Object(
  {
    ...PromptSchema.properties,
    repostedBy: Type.Union([UserRefSchema, Type.Null()], {
      description: "who liked it into this feed; null for the author's own post",
    }),
    repostedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  },
  { description: "a post or a repost in the feed" },
);
