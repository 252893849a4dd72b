import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useUpdateMe } from "../../api/me.js";
import type { User } from "../../api/types.js";
import { errorText } from "../../i18n/error-text.js";
import { TextAreaField, TextField } from "../../ui/Field.js";
import { hasCode } from "../../api/errors.js";

export function ProfileForm({ me }: { me: User }) {
  const { t } = useTranslation();
  const update = useUpdateMe();
  const [displayName, setDisplayName] = useState(me.displayName);
  const [bio, setBio] = useState(me.bio);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ displayName, bio });
  };
  const message = update.error ? errorText(t, update.error) : null;
  return (
    <form className="form" onSubmit={submit} aria-labelledby="me-profile">
      <h2 id="me-profile">{t("me.profileTitle")}</h2>
      <TextField
        label={t("me.displayName")}
        name="displayName"
        value={displayName}
        maxLength={50}
        onChange={(event) => setDisplayName(event.target.value)}
        error={hasCode(update.error, "DISPLAY_NAME_INVALID") ? message : null}
      />
      <TextAreaField
        label={t("me.bio")}
        name="bio"
        value={bio}
        maxLength={280}
        hint={t("me.bioHint")}
        onChange={(event) => setBio(event.target.value)}
        error={hasCode(update.error, "BIO_TOO_LONG") ? message : null}
      />
      {message && !hasCode(update.error, "DISPLAY_NAME_INVALID", "BIO_TOO_LONG") && (
        <p className="form-error" role="alert">
          {message}
        </p>
      )}
      {update.isSuccess && <p role="status">{t("me.saved")}</p>}
      <button type="submit" className="button button-primary" disabled={update.isPending}>
        {t("me.saveProfile")}
      </button>
    </form>
  );
}
