/** The loading, empty and error states every page shows in the same way. */
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { isApiError } from "../api/errors.js";
import { errorText } from "../i18n/error-text.js";

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <p className="state state-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label ?? t("common.loading")}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state state-empty">{children}</div>;
}

/**
 * A failure in words, with Try again when trying again may help: never for an answer that will
 * not change (not found, a prompt too long), where the button could only fail again.
 */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: (() => void) | undefined }) {
  const { t } = useTranslation();
  const retryable = !isApiError(error) || error.isRetryable;
  return (
    <div className="state state-error" role="alert">
      <p>{errorText(t, error)}</p>
      {onRetry && retryable && (
        <button type="button" className="button" onClick={onRetry}>
          {t("common.retry")}
        </button>
      )}
    </div>
  );
}

/** A short error next to the control that caused it. */
export function InlineError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p className="inline-error" role="alert">
      {errorText(t, error)}
    </p>
  );
}
