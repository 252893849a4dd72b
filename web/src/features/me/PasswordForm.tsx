import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useChangePassword } from "../../api/me.js";
import { hasCode } from "../../api/errors.js";
import { errorText } from "../../i18n/error-text.js";
import { TextField } from "../../ui/Field.js";
import { useRetryCountdown } from "../../ui/useCountdown.js";

export function PasswordForm() {
  const { t } = useTranslation();
  const change = useChangePassword();
  const [currentPassword, setCurrent] = useState("");
  const [newPassword, setNew] = useState("");
  const wait = useRetryCountdown(change.error);
  const message = change.error ? errorText(t, change.error) : null;
  const aboutNew = hasCode(
    change.error,
    "PASSWORD_TOO_SHORT",
    "PASSWORD_TOO_LONG",
    "PASSWORD_TOO_COMMON",
    "PASSWORD_MATCHES_USERNAME",
  );
  const aboutCurrent = hasCode(change.error, "WRONG_PASSWORD");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          setCurrent("");
          setNew("");
        },
      },
    );
  };
  return (
    <form className="form" onSubmit={submit} aria-labelledby="me-password" noValidate>
      <h2 id="me-password">{t("me.passwordTitle")}</h2>
      <TextField
        label={t("me.currentPassword")}
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        value={currentPassword}
        onChange={(event) => setCurrent(event.target.value)}
        error={aboutCurrent ? message : null}
      />
      <TextField
        label={t("me.newPassword")}
        name="newPassword"
        type="password"
        autoComplete="new-password"
        value={newPassword}
        onChange={(event) => setNew(event.target.value)}
        hint={t("auth.passwordHint")}
        error={aboutNew ? message : null}
      />
      {message && !aboutNew && !aboutCurrent && (
        <p className="form-error" role="alert">
          {message}
        </p>
      )}
      {change.isSuccess && <p role="status">{t("me.passwordChanged")}</p>}
      <button type="submit" className="button button-primary" disabled={change.isPending || wait > 0}>
        {t("me.changePassword")}
      </button>
    </form>
  );
}
