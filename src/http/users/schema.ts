import { Type, type TSchema } from "typebox";
import { USERNAME_MAX_LENGTH } from "../../core/accounts/username.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../../core/social/cursor.js";
import { MAX_SUGGESTIONS } from "../../core/social/people.js";
import { TextInteger } from "../schemas.js";

export const UserSchema = Type.Object(
  {
    id: Type.Integer(),
    username: Type.String({ description: "lower-case; may change (rename), unlike the id" }),
    displayName: Type.String({ description: "empty when not set" }),
    bio: Type.String(),
    createdAt: Type.String({ format: "date-time" }),
  },
  { description: "a user" },
);

export const ProfileSchema = Type.Object(
  {
    ...UserSchema.properties,
    followerCount: Type.Integer(),
    followingCount: Type.Integer(),
    promptCount: Type.Integer(),
    following: Type.Boolean({ description: "whether I follow them (false when not signed in)" }),
  },
  { description: "a user with counts, as a profile page shows them" },
);

export const UserRefSchema = Type.Object({ id: Type.Integer(), username: Type.String() });

/** Query of every paginated list. */
export const PageQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 512, description: "nextCursor of the previous page" })),
  limit: TextInteger({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE }),
});

/** A page of a list: `nextCursor` is null on the last one. */
export const Paged = <Item extends TSchema>(item: Item) =>
  Type.Object({
    items: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
  });

/** A name in a path; lookups are case-insensitive, and a name that cannot exist is simply not found. */
export const UsernameParams = Type.Object({
  name: Type.String({ minLength: 1, maxLength: USERNAME_MAX_LENGTH * 2 }),
});

export const UserSearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 100, description: "part of a username or display name" }),
  cursor: PageQuery.properties.cursor,
  limit: PageQuery.properties.limit,
});

export const SuggestionsQuery = Type.Object({
  n: TextInteger({ minimum: 1, maximum: MAX_SUGGESTIONS, default: 20 }),
});

/**
 * For routes that act on the path alone: a body naming someone (`{"userId": 2}`, the original
 * system's way of acting as anyone) is refused rather than silently ignored.
 */
export const NoBody = Type.Union([Type.Object({}, { additionalProperties: false }), Type.Null()], {
  description: "no body (or an empty object): the signed-in user acts for themselves",
});
