/**
 * The filters of an answer, folded under the prompt box: a native disclosure (keyboard and
 * screen readers know it), each range a group of two labelled boxes, each problem said next to
 * its range and tied to its boxes.
 */
import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { RangeName } from "../../api/answer-query.js";
import { currentLanguage } from "../../i18n/i18n.js";
import { formatNumber } from "../../i18n/format.js";
import type { SongFilters } from "../../api/answer-query.js";
import { describeFilters, shownBounds, type FilterDraft, type RangeProblem } from "./filter-draft.js";

/** Languages offered, named in the reader's language; one a link names is offered too. */
const offeredLanguages = ["en", "es", "pt", "fr", "it", "de"];

const soundRanges: RangeName[] = [
  "energy",
  "valence",
  "danceability",
  "acousticness",
  "instrumentalness",
  "speechiness",
  "liveness",
];

export interface FilterPanelProps {
  draft: FilterDraft;
  problems: Partial<Record<RangeName, RangeProblem>>;
  open: boolean;
  /** The filters the answer shown was asked with. */
  applied: SongFilters;
  onOpen(open: boolean): void;
  onChange(draft: FilterDraft): void;
  onClear(): void;
}

function RangeFilter({
  name,
  draft,
  problem,
  onChange,
}: {
  name: RangeName;
  draft: FilterDraft;
  problem: RangeProblem | undefined;
  onChange(draft: FilterDraft): void;
}) {
  const { t } = useTranslation();
  const errorId = useId();
  const limits = shownBounds(name);
  const value = draft.ranges[name];
  const set = (end: "min" | "max", text: string) =>
    onChange({ ...draft, ranges: { ...draft.ranges, [name]: { ...value, [end]: text } } });
  const box = (end: "min" | "max") => (
    <label className="range-end">
      <span>{end === "min" ? t("filters.from") : t("filters.to")}</span>
      <input
        className="input"
        type="number"
        inputMode="decimal"
        name={`${name}-${end}`}
        min={limits.min}
        max={limits.max}
        step="any"
        value={value[end]}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? errorId : undefined}
        onChange={(event) => set(end, event.target.value)}
      />
    </label>
  );
  return (
    <fieldset className="range-filter">
      <legend>{t(`filters.${name}`)}</legend>
      <div className="range-ends">
        {box("min")}
        {box("max")}
      </div>
      {problem && (
        <p id={errorId} className="field-error">
          {problem === "reversed"
            ? t("filters.reversed")
            : t("filters.outOfRange", { min: formatNumber(limits.min), max: formatNumber(limits.max) })}
        </p>
      )}
    </fieldset>
  );
}

export function FilterPanel({ draft, problems, open, applied, onOpen, onChange, onClear }: FilterPanelProps) {
  const { t } = useTranslation();
  const ids = useId();
  const names = new Intl.DisplayNames([currentLanguage()], { type: "language" });
  const described = describeFilters(applied, {
    name: (filter) => t(`filters.${filter}`),
    language: (code) => names.of(code) ?? code,
    number: (value) => formatNumber(value),
  });
  const languages =
    draft.language && !offeredLanguages.includes(draft.language)
      ? [...offeredLanguages, draft.language]
      : offeredLanguages;
  const range = (name: RangeName) => (
    <RangeFilter key={name} name={name} draft={draft} problem={problems[name]} onChange={onChange} />
  );
  return (
    <details className="filters" open={open} onToggle={(event) => onOpen(event.currentTarget.open)}>
      <summary>
        <span className="filters-title">{t("filters.title")}</span>
        {described.length > 0 && (
          <>
            <span className="badge filters-on">{t("filters.on", { count: described.length })}</span>
            <span className="filters-applied">{described.join(" · ")}</span>
          </>
        )}
      </summary>
      <div className="filters-body">
        <p className="field-hint">{t("filters.intro")}</p>
        <div className="filters-grid">
          <div className="field">
            <label htmlFor={`${ids}-language`}>{t("filters.language")}</label>
            <select
              id={`${ids}-language`}
              className="select"
              value={draft.language}
              onChange={(event) => onChange({ ...draft, language: event.target.value })}
            >
              <option value="">{t("filters.anyLanguage")}</option>
              {languages.map((code) => (
                <option key={code} value={code}>
                  {names.of(code) ?? code}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-genre`}>{t("filters.genre")}</label>
            <input
              id={`${ids}-genre`}
              className="input"
              type="text"
              maxLength={100}
              value={draft.genre}
              aria-describedby={`${ids}-genre-hint`}
              onChange={(event) => onChange({ ...draft, genre: event.target.value })}
            />
            <p id={`${ids}-genre-hint`} className="field-hint">
              {t("filters.genreHint")}
            </p>
          </div>
          {range("year")}
          {range("tempo")}
        </div>
        <fieldset className="filters-sound">
          <legend>{t("filters.sound")}</legend>
          <div className="filters-grid">{soundRanges.map(range)}</div>
        </fieldset>
        <p>
          <button type="button" className="button button-quiet" onClick={onClear}>
            {t("filters.clear")}
          </button>
        </p>
      </div>
    </details>
  );
}
