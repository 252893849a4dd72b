/**
 * Sign in and sign up share one form. Errors name what to fix, next to the field they concern;
 * a rate limit says how long to wait and keeps the button off until then.
 */
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useSignIn } from "../../api/session.js";
import { errorField, errorText } from "../../i18n/error-text.js";
import { formatWait } from "../../i18n/format.js";
import { TextField } from "../../ui/Field.js";
import { PageHeading } from "../../ui/PageHeading.js";
import { useRetryCountdown } from "../../ui/useCountdown.js";

/** Only paths of this app: a `next` pointing elsewhere would make the form an open redirect. */
export function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export function AuthForm({ kind }: { kind: "login" | "register" }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const signIn = useSignIn(kind);
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const wait = useRetryCountdown(signIn.error);
  const field = errorField(signIn.error);
  const message = signIn.error ? errorText(t, signIn.error) : null;
  const register = kind === "register";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate(
      { username: username.trim(), password },
      { onSuccess: () => void navigate(next, { replace: true }) },
    );
  };

  return (
    <div className="narrow">
      <PageHeading title={register ? t("auth.signUpTitle") : t("auth.signInTitle")} />
      <form className="form" onSubmit={submit} noValidate>
        <TextField
          label={t("auth.username")}
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={username}
          onChange={(event) => setUsername(event.target.value)}
          hint={register ? t("auth.usernameHint") : undefined}
          error={field === "username" ? message : null}
        />
        <TextField
          label={t("auth.password")}
          name="password"
          type="password"
          autoComplete={register ? "new-password" : "current-password"}
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          hint={register ? t("auth.passwordHint") : undefined}
          error={field === "password" ? message : null}
        />
        {message && field === null && (
          <p className="form-error" role="alert">
            {message}
          </p>
        )}
        {wait > 0 && (
          <p className="field-hint" aria-hidden="true">
            {t("auth.waitCountdown", { wait: formatWait(wait) })}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={signIn.isPending || wait > 0}>
          {signIn.isPending ? t("common.working") : register ? t("auth.signUp") : t("auth.signIn")}
        </button>
      </form>
      <p className="form-switch">
        {register ? (
          <>
            {t("auth.haveAccount")}{" "}
            <Link to={`/signin${params.size ? `?${params}` : ""}`}>{t("auth.signIn")}</Link>
          </>
        ) : (
          <>
            {t("auth.noAccount")}{" "}
            <Link to={`/signup${params.size ? `?${params}` : ""}`}>{t("auth.signUp")}</Link>
          </>
        )}
      </p>
    </div>
  );
}
