/**
 * What an answer is asked with — the prompt, the filters and how many songs — as it lives in
 * the address, so that a link, a bookmark or a reload gives the same answer:
 * `/?q=songs+about+rain&lang=es&energy=0.4..0.8&year=1990..&k=20`. Ranges are `min..max` in
 * the API's own units (features 0 to 1, tempo in BPM, years), either end may be left out;
 * anything unreadable is left out rather than refused.
 */
import { bounds } from "./bounds.js";
import type { AskRequest } from "./types.js";

export type SongFilters = NonNullable<AskRequest["filters"]>;
export type RangeName = Exclude<keyof SongFilters, "language" | "genre">;
export type Range = NonNullable<SongFilters[RangeName]>;

/** Every range a filter takes, with the API's bounds, in the order the filters are shown. */
export const rangeFilters: readonly { name: RangeName; min: number; max: number }[] = [
  { name: "year", min: 0, max: 9999 },
  { name: "tempo", min: 0, max: 400 },
  { name: "energy", min: 0, max: 1 },
  { name: "valence", min: 0, max: 1 },
  { name: "danceability", min: 0, max: 1 },
  { name: "acousticness", min: 0, max: 1 },
  { name: "instrumentalness", min: 0, max: 1 },
  { name: "speechiness", min: 0, max: 1 },
  { name: "liveness", min: 0, max: 1 },
];

export interface AnswerQuery {
  prompt: string;
  filters: SongFilters;
  /** How many songs, when more than the first answer's were asked for. */
  k: number | null;
}

const LANGUAGE_PARAM = "lang";

function readRange(text: string | null, min: number, max: number): Range | undefined {
  const match = /^\s*([0-9.]*)\s*\.\.\s*([0-9.]*)\s*$/.exec(text ?? "");
  if (!match) return undefined;
  const bound = (part: string | undefined) => {
    if (!part) return undefined;
    const value = Number(part);
    return Number.isFinite(value) && value >= min && value <= max ? value : undefined;
  };
  const range: Range = {};
  const low = bound(match[1]);
  const high = bound(match[2]);
  if (low !== undefined) range.min = low;
  if (high !== undefined) range.max = high;
  if (low !== undefined && high !== undefined && low > high) return undefined;
  return low === undefined && high === undefined ? undefined : range;
}

/** A range as the address and the API's playlist downloads write it: `min..max`, either end left out. */
export const writeRange = (range: Range) => `${range.min ?? ""}..${range.max ?? ""}`;

export function readAnswerQuery(params: URLSearchParams): AnswerQuery {
  const filters: SongFilters = {};
  const language = params.get(LANGUAGE_PARAM)?.trim().toLowerCase();
  if (language && /^[a-z]{2,3}$/.test(language)) filters.language = language;
  const genre = params.get("genre")?.trim();
  if (genre) filters.genre = genre.slice(0, 100);
  for (const { name, min, max } of rangeFilters) {
    const range = readRange(params.get(name), min, max);
    if (range) filters[name] = range;
  }
  const k = Number(params.get("k"));
  return {
    prompt: (params.get("q") ?? "").trim(),
    filters,
    k: Number.isInteger(k) && k > bounds.defaultK && k <= bounds.maxK ? k : null,
  };
}

/** The address's query for an answer, `?q=…` first; empty for no prompt and no filters. */
export function answerSearch(query: AnswerQuery): string {
  const params = new URLSearchParams();
  if (query.prompt) params.set("q", query.prompt);
  if (query.filters.language) params.set(LANGUAGE_PARAM, query.filters.language);
  if (query.filters.genre) params.set("genre", query.filters.genre);
  for (const { name } of rangeFilters) {
    const range = query.filters[name];
    if (range && (range.min !== undefined || range.max !== undefined)) params.set(name, writeRange(range));
  }
  if (query.k !== null) params.set("k", String(query.k));
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** How many filters are on. */
export const activeFilters = (filters: SongFilters): number => Object.keys(filters).length;

/** The body of `POST /api/ask` for the query. */
export const askBody = (query: AnswerQuery): AskRequest => ({
  prompt: query.prompt,
  ...(query.k !== null ? { k: query.k } : {}),
  ...(activeFilters(query.filters) > 0 ? { filters: query.filters } : {}),
});
