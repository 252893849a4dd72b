import { useEffect, useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

/** The prompt box; what was asked stays in it, so it can be refined. */
export function PromptForm({ prompt, onAsk }: { prompt: string; onAsk(prompt: string): void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(prompt);
  const hintId = useId();
  useEffect(() => setText(prompt), [prompt]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onAsk(text.trim());
  };
  return (
    <form className="prompt-form" role="search" onSubmit={submit}>
      <label htmlFor={`${hintId}-input`} className="visually-hidden">
        {t("ask.label")}
      </label>
      <input
        id={`${hintId}-input`}
        className="input prompt-input"
        type="search"
        name="q"
        value={text}
        maxLength={500}
        placeholder={t("ask.placeholder")}
        aria-describedby={hintId}
        autoComplete="off"
        enterKeyHint="search"
        onChange={(event) => setText(event.target.value)}
      />
      <button type="submit" className="button button-primary">
        {t("ask.submit")}
      </button>
      <p id={hintId} className="field-hint">
        {t("ask.hint")}
      </p>
    </form>
  );
}
