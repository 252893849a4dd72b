import { Type } from "typebox";
import { DEFAULT_K, MAX_K, MAX_PROMPT_LENGTH, MIN_K } from "../../core/search/types.js";

/** A range of a song attribute, with an example that keeps most songs (what the docs' "Try it out" sends). */
const range = (min: number, max: number, what: string, example: { min: number; max: number }) =>
  Type.Optional(
    Type.Object(
      {
        min: Type.Optional(Type.Number({ minimum: min, maximum: max, examples: [example.min] })),
        max: Type.Optional(Type.Number({ minimum: min, maximum: max, examples: [example.max] })),
      },
      { additionalProperties: false, description: `${what}, inclusive bounds`, examples: [example] },
    ),
  );
const share = { min: 0, max: 1 };

/** Restrictions on song metadata, applied while candidates are gathered (see song-filter.ts). */
export const SongFilterSchema = Type.Object(
  {
    language: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 16,
        description: "ISO 639-1 code, e.g. en, es",
        examples: ["en"],
      }),
    ),
    genre: Type.Optional(Type.String({ minLength: 1, maxLength: 100, examples: ["rock"] })),
    year: range(0, 9999, "release year", { min: 1960, max: 2030 }),
    danceability: range(0, 1, "danceability, 0 to 1", share),
    energy: range(0, 1, "energy, 0 to 1", share),
    valence: range(0, 1, "valence (how happy it sounds), 0 to 1", share),
    tempo: range(0, 400, "tempo in beats per minute", { min: 40, max: 220 }),
    acousticness: range(0, 1, "acousticness, 0 to 1", share),
    instrumentalness: range(0, 1, "instrumentalness, 0 to 1", share),
    speechiness: range(0, 1, "speechiness, 0 to 1", share),
    liveness: range(0, 1, "liveness, 0 to 1", share),
  },
  {
    additionalProperties: false,
    description: "only songs that match every condition given",
    examples: [{ language: "en" }],
  },
);

/** What the docs' "Try it out" sends first: a prompt, a count and one filter that keeps the demo catalog. */
export const askExample = { prompt: "songs about leaving home", k: 5, filters: { language: "en" } };

export const AskBody = Type.Object(
  {
    prompt: Type.String({
      description: `what the songs should be about, up to ${MAX_PROMPT_LENGTH} characters; "top N …" sets how many`,
    }),
    k: Type.Optional(
      Type.Integer({ minimum: MIN_K, maximum: MAX_K, description: `how many songs (default ${DEFAULT_K})` }),
    ),
    filters: Type.Optional(SongFilterSchema),
  },
  { additionalProperties: false, examples: [askExample] },
);

/** How well an answer fits its prompt (see src/core/search/fit-model.ts). */
export const FitSchema = Type.Union([Type.Literal("strong"), Type.Literal("weak"), Type.Literal("none")], {
  description:
    "strong: the first song most likely fits; weak: it may partly fit; none: nothing in the catalog fits well",
});

export const AskResponseSchema = Type.Object({
  prompt: Type.String(),
  k: Type.Integer(),
  fit: Type.Union([FitSchema, Type.Null()], {
    description: "how well the answer fits; null when the embedding model has no measured fit model",
  }),
  cached: Type.Boolean(),
  catalogVersion: Type.Integer(),
  reembedding: Type.Union(
    [
      Type.Object({
        model: Type.String({ description: "the embedding model in use" }),
        done: Type.Integer({ description: "songs it has embedded so far: the answer covers these only" }),
        total: Type.Integer({ description: "songs with lyrics in the catalog" }),
      }),
      Type.Null(),
    ],
    {
      description:
        "set while the catalog is being re-embedded with a new model (verso reindex): the answer covers done of total songs",
    },
  ),
  results: Type.Array(Type.Ref("SongHit")),
});
