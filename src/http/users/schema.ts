import { Type } from "typebox";
import { USERNAME_MAX_LENGTH } from "../../core/accounts/username.js";
import { MAX_SUGGESTIONS } from "../../core/social/people.js";
import { PageQuery, TextInteger } from "../schemas.js";

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

/** What a former username answers, with a 308 whose Location is the profile under the name now. */
export const MovedSchema = Type.Object(
  { movedTo: Type.String({ description: "the username this person goes by now" }) },
  { description: "the person renamed away from this name" },
);

export const UserRefSchema = Type.Object({ id: Type.Integer(), username: Type.String() });

/** People to discover: one list, no pages (each call draws again). */
export const SuggestionsSchema = Type.Object({ items: Type.Array(UserSchema) });

/** A name in a path; lookups are case-insensitive, and a name that cannot exist is simply not found. */
export const UsernameParams = Type.Object({
  name: Type.String({ minLength: 1, maxLength: USERNAME_MAX_LENGTH * 2 }),
});

export const UserSearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 100, description: "part of a username or display name" }),
  ...PageQuery.properties,
});

export const SuggestionsQuery = Type.Object({
  n: TextInteger({ minimum: 1, maximum: MAX_SUGGESTIONS, default: 20 }),
});
