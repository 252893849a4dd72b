import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useUpdateMe } from "../../api/me.js";
import type { User } from "../../api/types.js";
import { errorField, errorText } from "../../i18n/error-text.js";
import { TextField } from "../../ui/Field.js";
import { useRetryCountdown } from "../../ui/useCountdown.js";

/** A new username; the current password proves it is me and not a stolen session. */
export function RenameForm({ me }: { me: User }) {
  const { t } = useTranslation();
  const rename = useUpdateMe();
  const [username, setUsername] = useState(me.username);
  const [password, setPassword] = useState("");
  const wait = useRetryCountdown(rename.error);
  const field = errorField(rename.error);
  const message = rename.error ? errorText(t, rename.error) : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    rename.mutate(
      { username: username.trim(), currentPassword: password },
      { onSuccess: () => setPassword("") },
    );
  };
  return (
    <form className="form" onSubmit={submit} aria-labelledby="me-rename" noValidate>
      <h2 id="me-rename">{t("me.renameTitle")}</h2>
      <TextField
        label={t("me.newUsername")}
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        value={username}
        onChange={(event) => setUsername(event.target.value)}
        hint={t("auth.usernameHint")}
        error={field === "username" ? message : null}
      />
      <TextField
        label={t("me.currentPassword")}
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        error={field === "password" ? message : null}
      />
      {message && field === null && (
        <p className="form-error" role="alert">
          {message}
        </p>
      )}
      {rename.isSuccess && <p role="status">{t("me.renamed", { username: rename.data.username })}</p>}
      <button type="submit" className="button button-primary" disabled={rename.isPending || wait > 0}>
        {t("me.rename")}
      </button>
    </form>
  );
}
