import { useEffect, useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { bounds } from "../../api/bounds.js";
import { formatNumber } from "../../i18n/format.js";

type Problem = "empty" | "tooLong" | null;

/**
 * The prompt box; what was asked stays in it, so it can be refined. A prompt is never cut:
 * one too long, or an empty one, is not asked, and the box says why.
 */
export function PromptForm({ prompt, onAsk }: { prompt: string; onAsk(prompt: string): void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(prompt);
  const [problem, setProblem] = useState<Problem>(null);
  const hintId = useId();
  const errorId = `${hintId}-error`;
  useEffect(() => setText(prompt), [prompt]);
  const length = text.trim().length;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Problem = length === 0 ? "empty" : length > bounds.promptLength ? "tooLong" : null;
    setProblem(found);
    if (!found) onAsk(text.trim());
  };
  // A problem stays said until the text no longer has it.
  const shown =
    problem === "empty" && length > 0
      ? null
      : problem === "tooLong" && length <= bounds.promptLength
        ? null
        : problem;
  return (
    <form className="prompt-form" role="search" onSubmit={submit} noValidate>
      <label htmlFor={`${hintId}-input`} className="visually-hidden">
        {t("ask.label")}
      </label>
      <input
        id={`${hintId}-input`}
        className="input prompt-input"
        type="search"
        name="q"
        value={text}
        placeholder={t("ask.placeholder")}
        aria-describedby={shown ? `${errorId} ${hintId}` : hintId}
        aria-invalid={shown ? true : undefined}
        autoComplete="off"
        enterKeyHint="search"
        onChange={(event) => setText(event.target.value)}
      />
      <button type="submit" className="button button-primary">
        {t("ask.submit")}
      </button>
      {shown && (
        <p id={errorId} className="field-error" role="alert">
          {shown === "empty"
            ? t("errors.promptEmpty")
            : t("ask.tooLong", { max: formatNumber(bounds.promptLength), count: formatNumber(length) })}
        </p>
      )}
      <p id={hintId} className="field-hint">
        {t("ask.hint")}
      </p>
    </form>
  );
}
