/**
 * The query of a playlist of an ask: the ask's own fields as text. Filters are named as in the
 * ask's `filters` (`language`, `genre`), ranges written `min..max` with either end left out
 * (`energy=0.4..0.8`, `year=1990..`), in the units and bounds of the ask.
 */
import { Type, type Static } from "typebox";
import { filterableFeatures, type NumericRange, type SongFilter } from "../../core/catalog/song-filter.js";
import { VersoError } from "../../core/errors.js";
import type { AskRequest } from "../../core/search/types.js";
import { MAX_K, MAX_PROMPT_LENGTH, MIN_K } from "../../core/search/types.js";
import { TextInteger } from "../schemas.js";
import { SongFilterSchema } from "../search/schema.js";

const rangeNames = ["year", ...filterableFeatures] as const;
type RangeName = (typeof rangeNames)[number];

const NUMBER = "[0-9]+(?:\\.[0-9]+)?";
const RANGE_PATTERN = `^(?:${NUMBER})?\\.\\.(?:${NUMBER})?$`;

/** The bounds the ask's body schema gives a range's ends. */
function boundsOf(name: RangeName): { minimum: number; maximum: number } {
  const end = SongFilterSchema.properties[name].properties.min as { minimum?: number; maximum?: number };
  return { minimum: end.minimum ?? 0, maximum: end.maximum ?? Number.MAX_VALUE };
}

const describe = (name: RangeName): string =>
  (SongFilterSchema.properties[name] as { description?: string }).description ?? name;

const rangeParameter = (name: RangeName) => {
  const { minimum, maximum } = boundsOf(name);
  return Type.Optional(
    Type.String({
      pattern: RANGE_PATTERN,
      maxLength: 40,
      description: `${describe(name)} as min..max, each from ${minimum} to ${maximum}; either may be left out`,
    }),
  );
};

export const PlaylistAskQuery = Type.Object(
  {
    prompt: Type.String({
      maxLength: MAX_PROMPT_LENGTH * 4,
      description: `what the songs should be about, up to ${MAX_PROMPT_LENGTH} characters, as for POST /api/ask`,
      examples: ["songs about leaving home"],
    }),
    k: Type.Optional(TextInteger({ minimum: MIN_K, maximum: MAX_K, description: "how many songs" })),
    language: Type.Optional(SongFilterSchema.properties.language),
    genre: Type.Optional(SongFilterSchema.properties.genre),
    ...(Object.fromEntries(rangeNames.map((name) => [name, rangeParameter(name)])) as Record<
      RangeName,
      ReturnType<typeof rangeParameter>
    >),
  },
  { additionalProperties: false },
);

export type PlaylistAskParameters = Static<typeof PlaylistAskQuery>;

function readRange(name: RangeName, text: string): NumericRange {
  const [low = "", high = ""] = text.split("..");
  const { minimum, maximum } = boundsOf(name);
  const range: NumericRange = {};
  if (low !== "") range.min = Number(low);
  if (high !== "") range.max = Number(high);
  const ends = [range.min, range.max].filter((end) => end !== undefined);
  if (ends.length === 0 || ends.some((end) => end < minimum || end > maximum)) {
    throw new VersoError(
      "VALIDATION_FAILED",
      `querystring.${name} must be min..max with at least one end, each from ${minimum} to ${maximum}`,
    );
  }
  return range;
}

/** The ask the query describes. */
export function askOfQuery(query: PlaylistAskParameters): AskRequest {
  const filters: SongFilter = {};
  if (query.language !== undefined) filters.language = query.language;
  if (query.genre !== undefined) filters.genre = query.genre;
  for (const name of rangeNames) {
    const text = query[name];
    if (text !== undefined) filters[name] = readRange(name, text);
  }
  return {
    prompt: query.prompt,
    ...(query.k !== undefined ? { k: query.k } : {}),
    ...(Object.keys(filters).length > 0 ? { filters } : {}),
  };
}

/** What a playlist download answers: the file's text, in the format's media type. */
export const playlistFile = (mediaType: string, what: string) =>
  Type.String({ description: `the playlist as ${what} (${mediaType})` });
