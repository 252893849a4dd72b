import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useDeletePrompt, useEditPrompt } from "../../api/prompts.js";
import type { Prompt } from "../../api/types.js";
import { formatAgo, formatNumber } from "../../i18n/format.js";
import { ConfirmDialog } from "../../ui/ConfirmDialog.js";
import { TextAreaField } from "../../ui/Field.js";
import { InlineError } from "../../ui/states.js";
import { errorText } from "../../i18n/error-text.js";

/** One of my prompts, editable in place and deletable after a confirmation. */
export function MyPrompt({ prompt }: { prompt: Prompt }) {
  const { t } = useTranslation();
  const edit = useEditPrompt();
  const remove = useDeletePrompt();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(prompt.text);
  const [confirming, setConfirming] = useState(false);

  const save = (event: FormEvent) => {
    event.preventDefault();
    edit.mutate({ id: prompt.id, text: text.trim() }, { onSuccess: () => setEditing(false) });
  };

  return (
    <article className="card my-prompt">
      {editing ? (
        <form onSubmit={save} className="form">
          <TextAreaField
            label={t("me.editPromptLabel")}
            value={text}
            maxLength={500}
            onChange={(event) => setText(event.target.value)}
            error={edit.error ? errorText(t, edit.error) : null}
          />
          <div className="row">
            <button type="submit" className="button button-primary" disabled={edit.isPending}>
              {t("common.save")}
            </button>
            <button
              type="button"
              className="button"
              onClick={() => {
                setEditing(false);
                setText(prompt.text);
                edit.reset();
              }}
            >
              {t("common.cancel")}
            </button>
          </div>
        </form>
      ) : (
        <>
          <h3 className="prompt-text">
            <Link to={`/prompts/${prompt.id}`}>{prompt.text}</Link>
          </h3>
          <p className="muted">
            {t("prompts.likes", { count: prompt.likeCount, formatted: formatNumber(prompt.likeCount) })} ·{" "}
            <time dateTime={prompt.createdAt}>{formatAgo(prompt.createdAt)}</time>
          </p>
          <div className="row">
            <button
              type="button"
              className="button"
              onClick={() => setEditing(true)}
              aria-label={t("me.editLabel", { text: prompt.text })}
            >
              {t("common.edit")}
            </button>
            <button
              type="button"
              className="button button-danger"
              onClick={() => setConfirming(true)}
              aria-label={t("me.deleteLabel", { text: prompt.text })}
            >
              {t("common.delete")}
            </button>
          </div>
          <InlineError error={remove.error} />
        </>
      )}
      <ConfirmDialog
        open={confirming}
        title={t("me.deletePromptTitle")}
        confirmLabel={t("common.delete")}
        busy={remove.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => remove.mutate(prompt.id, { onSettled: () => setConfirming(false) })}
      >
        <p>“{prompt.text}”</p>
        <p>{t("me.deletePromptBody")}</p>
      </ConfirmDialog>
    </article>
  );
}
