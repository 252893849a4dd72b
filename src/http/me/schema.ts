import { Type } from "typebox";
import { BIO_MAX_LENGTH, DISPLAY_NAME_MAX_LENGTH } from "../../core/accounts/profile.js";
import { PASSWORD_MAX_LENGTH } from "../../core/accounts/password-policy.js";
import { USERNAME_MAX_LENGTH } from "../../core/accounts/username.js";

const Password = Type.String({ maxLength: PASSWORD_MAX_LENGTH * 4 });

export const ProfileUpdateBody = Type.Object(
  {
    displayName: Type.Optional(Type.String({ maxLength: DISPLAY_NAME_MAX_LENGTH * 4 })),
    bio: Type.Optional(Type.String({ maxLength: BIO_MAX_LENGTH * 4 })),
    username: Type.Optional(
      Type.String({
        maxLength: USERNAME_MAX_LENGTH * 2,
        description: "a new username: needs currentPassword",
      }),
    ),
    currentPassword: Type.Optional(Password),
  },
  { additionalProperties: false },
);

export const PasswordChangeBody = Type.Object(
  { currentPassword: Password, newPassword: Password },
  { additionalProperties: false },
);

export const AccountDeletionBody = Type.Object({ password: Password }, { additionalProperties: false });
