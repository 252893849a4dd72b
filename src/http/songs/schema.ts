import { Type } from "typebox";
import { Nullable, TextInteger } from "../schemas.js";

export const AudioFeaturesSchema = Type.Object(
  {
    danceability: Nullable(Type.Number()),
    energy: Nullable(Type.Number()),
    key: Nullable(Type.Number()),
    loudness: Nullable(Type.Number()),
    mode: Nullable(Type.Number()),
    speechiness: Nullable(Type.Number()),
    acousticness: Nullable(Type.Number()),
    instrumentalness: Nullable(Type.Number()),
    liveness: Nullable(Type.Number()),
    valence: Nullable(Type.Number()),
    tempo: Nullable(Type.Number()),
    durationMs: Nullable(Type.Number()),
  },
  { $id: "AudioFeatures" },
);

export const ListenLinkSchema = Type.Object({
  service: Type.String({ examples: ["Spotify"] }),
  kind: Type.Union([Type.Literal("song"), Type.Literal("search")]),
  url: Type.String({ format: "uri", examples: ["https://open.spotify.com/track/1vrMGV0cxKxujjkhKiFMUe"] }),
});

/** Where a song of a music library is: its file in the music folder, or its id on a Subsonic server. */
export const SongOriginSchema = Type.Object({
  path: Type.Optional(Type.String({ description: "the track file's path relative to the music folder" })),
  server: Type.Optional(Type.String({ description: "the Subsonic server the song is on" })),
  serverSongId: Type.Optional(Type.String({ description: "the song's id on that server" })),
  webUrl: Type.Optional(Type.String({ description: "the song's album on the server's web player" })),
  musicBrainzRecordingId: Type.Optional(Type.String()),
  lyricsFrom: Type.Optional(
    Type.Union([Type.Literal("tags"), Type.Literal("lrc"), Type.Literal("txt"), Type.Literal("server")]),
  ),
  timedLyrics: Type.Optional(Type.String({ description: "the lyrics with their timestamps (LRC)" })),
});

export const SongSchema = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    artists: Type.Array(Type.String()),
    album: Nullable(Type.String()),
    genre: Nullable(Type.String()),
    language: Nullable(Type.String()),
    releaseDate: Nullable(Type.String()),
    features: Type.Ref("AudioFeatures"),
    origin: Type.Optional(SongOriginSchema),
    listen: Type.Array(ListenLinkSchema, {
      description:
        "where to listen, best first: the song's own page on a service (kind song), then searches for its title and first artist",
    }),
  },
  { $id: "Song" },
);

export const SongHitSchema = Type.Object(
  {
    song: Type.Ref("Song"),
    score: Type.Number({
      description:
        "how well the song fits: with a fit (an answer's fit is not null) the expected grade on 0..1 (0 does not fit, 0.5 partly fits, 1 clearly fits), the same on every prompt; without one a ranking score comparable within one answer only",
    }),
    fit: Type.Optional(
      Type.Union([Type.Literal("strong"), Type.Literal("weak"), Type.Literal("none")], {
        description: "how well this song fits, when the answer has a fit",
      }),
    ),
    passage: Type.Object({
      text: Type.String({ description: "the passage of the lyrics that matched best" }),
      ordinal: Type.Integer({ description: "its position among the song's passages" }),
    }),
  },
  { $id: "SongHit" },
);

export const SongWithLyricsSchema = Type.Intersect([
  Type.Ref("Song"),
  Type.Object({ lyrics: Nullable(Type.String()) }),
]);

export const SimilarSongsSchema = Type.Object({ results: Type.Array(Type.Ref("SongHit")) });

export const SongParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const PassageParams = Type.Object({
  ...SongParams.properties,
  ordinal: TextInteger({ minimum: 0, maximum: 1_000_000, description: "passage.ordinal of an answer" }),
});

export const PassageSchema = Type.Object({
  ordinal: Type.Integer({ description: "its position among the song's passages" }),
  text: Type.String({ description: "the passage, as it reads in the lyrics" }),
});

export const SimilarSongsQuery = Type.Object({
  k: Type.Optional(TextInteger({ minimum: 1, maximum: 50, default: 10 })),
});
