/**
 * Sign in and sign up share one form. Errors name what to fix, next to the field they concern;
 * sign-up says every problem it can see at once before asking the server; a rate limit says how
 * long to wait and keeps the button off until then. Someone already signed in goes on at once.
 */
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { ApiError } from "../../api/errors.js";
import { safePath } from "../../app/safe-path.js";
import { useSession, useSignIn } from "../../api/session.js";
import type { ErrorCode } from "../../api/types.js";
import { errorField, errorText } from "../../i18n/error-text.js";
import { formatWait } from "../../i18n/format.js";
import { TextField } from "../../ui/Field.js";
import { PageHeading } from "../../ui/PageHeading.js";
import { Loading } from "../../ui/states.js";
import { useRetryCountdown } from "../../ui/useCountdown.js";
import { newCredentialProblems } from "./new-credentials.js";

/** Where to go after signing in: a path of this app, else home. */
export const safeNext = (next: string | null): string => safePath(next) ?? "/";

/** A problem found before asking, in the words the server would use for it. */
const refusal = (code: ErrorCode) => new ApiError(400, code, "checked before sending");

export function AuthForm({ kind }: { kind: "login" | "register" }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const session = useSession();
  const signIn = useSignIn(kind);
  const form = useRef<HTMLFormElement>(null);
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [checked, setChecked] = useState(0);
  const wait = useRetryCountdown(signIn.error);
  const register = kind === "register";
  const local = register && checked > 0 ? newCredentialProblems(username, password) : null;
  const field = errorField(signIn.error);
  const message = signIn.error ? errorText(t, signIn.error) : null;
  const fieldError = (name: "username" | "password") => {
    const problem = local?.[name];
    if (problem) return errorText(t, refusal(problem));
    return field === name ? message : null;
  };

  // After a refused attempt, the first field to fix gets the focus.
  useEffect(() => {
    if (checked > 0) form.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus();
  }, [checked]);

  if (session.isPending) return <Loading />;
  if (session.user && !signIn.isSuccess) return <Navigate to={next} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.reset();
    setChecked((count) => count + 1);
    const problems = register ? newCredentialProblems(username, password) : null;
    if (problems && (problems.username || problems.password)) return;
    signIn.mutate(
      { username: username.trim(), password },
      { onSuccess: () => void navigate(next, { replace: true }) },
    );
  };

  return (
    <div className="narrow">
      <PageHeading title={register ? t("auth.signUpTitle") : t("auth.signInTitle")} />
      <form ref={form} className="form" onSubmit={submit} noValidate>
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
          error={fieldError("username")}
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
          error={fieldError("password")}
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
