import { Type } from "typebox";
import { MAX_PROMPT_LENGTH } from "../../core/search/types.js";
import { MAX_STORED_INTEGER } from "../../core/social/cursor.js";
import { ErrorSchema, Nullable, PageQuery, TextInteger } from "../schemas.js";
import { UserRefSchema } from "../users/schema.js";

export const PromptSchema = Type.Object(
  {
    id: Type.Integer(),
    text: Type.String(),
    author: UserRefSchema,
    createdAt: Type.String({ format: "date-time" }),
    updatedAt: Type.String({ format: "date-time" }),
    likeCount: Type.Integer(),
    likedByMe: Type.Boolean({ description: "false when not signed in" }),
  },
  { description: "a published prompt" },
);

export const PromptWithSongsSchema = Type.Object({
  ...PromptSchema.properties,
  results: Type.Array(Type.Ref("SongHit"), { description: "the songs this prompt finds, best first" }),
  resultsError: Nullable(ErrorSchema, {
    description: "why results are empty when search could not answer (catalog loading, say); else null",
  }),
});

// Generous on the wire; the domain trims and answers PROMPT_EMPTY / PROMPT_TOO_LONG precisely.
export const PromptBody = Type.Object(
  {
    text: Type.String({
      maxLength: MAX_PROMPT_LENGTH * 4,
      description: `1 to ${MAX_PROMPT_LENGTH} characters`,
    }),
  },
  { additionalProperties: false },
);

export const PromptParams = Type.Object({
  id: TextInteger({ minimum: 1, maximum: MAX_STORED_INTEGER }),
});

export const PromptListQuery = Type.Object({
  q: Type.Optional(
    Type.String({
      maxLength: 200,
      description:
        "what to search for: prompts holding these words or near them in meaning, best first; without it, the newest prompts",
    }),
  ),
  ...PageQuery.properties,
});
