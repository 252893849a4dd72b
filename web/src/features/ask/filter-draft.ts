/**
 * The filters as a person edits them: text in each box, features in percent (0 to 100) where
 * the API takes 0 to 1, years and tempo as they are. Read back into the API's filters only when
 * asked, with what is wrong with each range said rather than guessed.
 */
import { rangeFilters, type Range, type RangeName, type SongFilters } from "../../api/answer-query.js";

export interface FilterDraft {
  language: string;
  genre: string;
  ranges: Record<RangeName, { min: string; max: string }>;
}

export type RangeProblem = "outOfRange" | "reversed";

/** How a range is shown: features of 0 to 1 in percent. */
export const shownScale = (name: RangeName) => (name === "year" || name === "tempo" ? 1 : 100);

export const shownBounds = (name: RangeName) => {
  const spec = rangeFilters.find((filter) => filter.name === name)!;
  return { min: spec.min * shownScale(name), max: spec.max * shownScale(name) };
};

const shown = (value: number | undefined, scale: number) =>
  value === undefined ? "" : String(Math.round(value * scale * 100) / 100);

export function draftOf(filters: SongFilters): FilterDraft {
  const ranges = {} as FilterDraft["ranges"];
  for (const { name } of rangeFilters) {
    const range = filters[name];
    ranges[name] = { min: shown(range?.min, shownScale(name)), max: shown(range?.max, shownScale(name)) };
  }
  return { language: filters.language ?? "", genre: filters.genre ?? "", ranges };
}

export const emptyDraft = (): FilterDraft => draftOf({});

export function readDraft(draft: FilterDraft): {
  filters: SongFilters;
  problems: Partial<Record<RangeName, RangeProblem>>;
} {
  const filters: SongFilters = {};
  const problems: Partial<Record<RangeName, RangeProblem>> = {};
  if (draft.language) filters.language = draft.language;
  if (draft.genre.trim()) filters.genre = draft.genre.trim();
  for (const { name } of rangeFilters) {
    const scale = shownScale(name);
    const limits = shownBounds(name);
    const range: Range = {};
    let problem: RangeProblem | undefined;
    for (const end of ["min", "max"] as const) {
      const text = draft.ranges[name][end].trim().replace(",", ".");
      if (!text) continue;
      const value = Number(text);
      if (!Number.isFinite(value) || value < limits.min || value > limits.max) problem = "outOfRange";
      else range[end] = Math.round((value / scale) * 10_000) / 10_000;
    }
    if (!problem && range.min !== undefined && range.max !== undefined && range.min > range.max)
      problem = "reversed";
    if (problem) problems[name] = problem;
    else if (range.min !== undefined || range.max !== undefined) filters[name] = range;
  }
  return { filters, problems };
}

/** The filters in a few words each ("Energy 30–90 %", "Tempo ≤ 120"), in the order shown. */
export function describeFilters(
  filters: SongFilters,
  words: {
    name(filter: RangeName | "genre"): string;
    language(code: string): string;
    number(value: number): string;
  },
): string[] {
  const described: string[] = [];
  if (filters.language) described.push(words.language(filters.language));
  if (filters.genre) described.push(`${words.name("genre")}: ${filters.genre}`);
  for (const { name } of rangeFilters) {
    const range = filters[name];
    if (!range) continue;
    const scale = shownScale(name);
    const unit = scale === 100 ? " %" : "";
    const at = (value: number) => words.number(Math.round(value * scale * 100) / 100);
    const bounds =
      range.min !== undefined && range.max !== undefined
        ? `${at(range.min)}–${at(range.max)}`
        : range.min !== undefined
          ? `≥ ${at(range.min)}`
          : `≤ ${at(range.max!)}`;
    described.push(`${words.name(name)} ${bounds}${unit}`);
  }
  return described;
}
