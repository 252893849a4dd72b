import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { activeFilters, type AnswerQuery } from "../../api/answer-query.js";
import { bounds } from "../../api/bounds.js";
import { formatNumber } from "../../i18n/format.js";
import { draftOf, emptyDraft, readDraft, type FilterDraft } from "./filter-draft.js";
import { FilterPanel } from "./FilterPanel.js";

type Problem = "empty" | "tooLong" | null;

/** What is wrong with a prompt of this length, to say when it is asked. */
const problemOf = (length: number): Problem =>
  length === 0 ? "empty" : length > bounds.promptLength ? "tooLong" : null;

/** A problem found at the last ask stays said until the text no longer has it. */
const stillShown = (problem: Problem, length: number): Problem =>
  problem === problemOf(length) ? problem : null;

function PromptProblem({ id, problem, length }: { id: string; problem: Problem; length: number }) {
  const { t } = useTranslation();
  if (!problem) return null;
  return (
    <p id={id} className="field-error" role="alert">
      {problem === "empty"
        ? t("errors.promptEmpty")
        : t("ask.tooLong", { max: formatNumber(bounds.promptLength), count: formatNumber(length) })}
    </p>
  );
}

/**
 * The prompt box and the filters; what was asked stays in them, so it can be refined. A prompt
 * is never cut: one too long, or an empty one, is not asked, and the box says why; so is a
 * filter that cannot hold, next to its range.
 */
export function PromptForm({ query, onAsk }: { query: AnswerQuery; onAsk(query: AnswerQuery): void }) {
  const { t } = useTranslation();
  const form = useRef<HTMLFormElement>(null);
  const [text, setText] = useState(query.prompt);
  const [problem, setProblem] = useState<Problem>(null);
  const [draft, setDraft] = useState<FilterDraft>(() => draftOf(query.filters));
  const [checked, setChecked] = useState(false);
  const active = activeFilters(query.filters);
  const [open, setOpen] = useState(false);
  const hintId = useId();
  const errorId = `${hintId}-error`;
  useEffect(() => setText(query.prompt), [query.prompt]);
  // Another answer in the address (a link, Back) brings its own filters; nothing else resets them.
  const asked = JSON.stringify(query.filters);
  useEffect(() => setDraft(draftOf(JSON.parse(asked) as AnswerQuery["filters"])), [asked]);
  const length = text.trim().length;
  const filterProblems = checked ? readDraft(draft).problems : {};

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = problemOf(length);
    const { filters, problems } = readDraft(draft);
    setProblem(found);
    setChecked(true);
    if (Object.keys(problems).length > 0) {
      setOpen(true);
      // The first range to fix gets the focus, once the panel shows it.
      requestAnimationFrame(() =>
        form.current?.querySelector<HTMLElement>(".filters [aria-invalid=true]")?.focus(),
      );
      return;
    }
    if (!found) onAsk({ prompt: text.trim(), filters, k: null });
  };

  const clear = () => {
    setDraft(emptyDraft());
    setChecked(false);
    if (active > 0 && query.prompt) onAsk({ ...query, filters: {}, k: null });
  };

  const shown = stillShown(problem, length);
  return (
    <form ref={form} className="prompt-form" role="search" onSubmit={submit} noValidate>
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
      <PromptProblem id={errorId} problem={shown} length={length} />
      <p id={hintId} className="field-hint">
        {t("ask.hint")}
      </p>
      <FilterPanel
        draft={draft}
        problems={filterProblems}
        open={open}
        applied={query.filters}
        onOpen={setOpen}
        onChange={setDraft}
        onClear={clear}
      />
    </form>
  );
}
