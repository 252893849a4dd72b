import { Type } from "typebox";

const nullable = <T extends ReturnType<typeof Type.Number>>(schema: T) => Type.Union([schema, Type.Null()]);

export const AudioFeatures = Type.Object(
  {
    danceability: nullable(Type.Number()),
    energy: nullable(Type.Number()),
    key: nullable(Type.Number()),
    loudness: nullable(Type.Number()),
    mode: nullable(Type.Number()),
    speechiness: nullable(Type.Number()),
    acousticness: nullable(Type.Number()),
    instrumentalness: nullable(Type.Number()),
    liveness: nullable(Type.Number()),
    valence: nullable(Type.Number()),
    tempo: nullable(Type.Number()),
    durationMs: nullable(Type.Number()),
  },
  { $id: "AudioFeatures" },
);

export const Song = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    artists: Type.Array(Type.String()),
    album: Type.Union([Type.String(), Type.Null()]),
    genre: Type.Union([Type.String(), Type.Null()]),
    language: Type.Union([Type.String(), Type.Null()]),
    releaseDate: Type.Union([Type.String(), Type.Null()]),
    features: Type.Ref("AudioFeatures"),
  },
  { $id: "Song" },
);

export const SongHit = Type.Object(
  {
    song: Type.Ref("Song"),
    score: Type.Number({ description: "ranking score, higher is better; comparable within one answer" }),
    passage: Type.Object({
      text: Type.String({ description: "the passage of the lyrics that matched best" }),
      ordinal: Type.Integer({ description: "its position among the song's passages" }),
    }),
  },
  { $id: "SongHit" },
);
