import { Type } from "typebox";
import { PASSWORD_MAX_LENGTH } from "../../core/accounts/password-policy.js";
import { USERNAME_MAX_LENGTH } from "../../core/accounts/username.js";
import { Nullable } from "../schemas.js";
import { UserSchema } from "../users/schema.js";

// Bounds on the wire are generous; the domain answers precise codes (USERNAME_INVALID,
// PASSWORD_TOO_LONG …) within them.
export const CredentialsBody = Type.Object(
  {
    username: Type.String({ maxLength: USERNAME_MAX_LENGTH * 2, description: "3–32 of a-z 0-9 _ . -" }),
    password: Type.String({ maxLength: PASSWORD_MAX_LENGTH * 4, description: "at least 8 characters" }),
  },
  { additionalProperties: false },
);

export const SignedInSchema = Type.Object({
  token: Type.String({
    description: "session token: send it as Authorization: Bearer (it is also set as a cookie)",
  }),
  user: UserSchema,
});

export const SessionSchema = Type.Object(
  {
    user: Nullable(UserSchema, { description: "who is signed in; null for a visitor" }),
    isAdmin: Type.Boolean({ description: "whether they may administer the catalog (scan the bucket)" }),
  },
  { description: "who is signed in, if anyone: never a 401, so a visitor's page logs no error" },
);
