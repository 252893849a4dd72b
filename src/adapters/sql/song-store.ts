/** The catalog's read side on SQL: songs, passages, vectors and full-text search. */
import { sql, type Kysely, type Selectable } from "kysely";
import type { Song, SongWithLyrics } from "../../core/catalog/song.js";
import type { LexicalHit, PassageRecord, SongStore } from "../../core/catalog/store.js";
import type { Database } from "./schema/index.js";
import type { SongsTable } from "./schema/catalog.js";
import { decodeVector } from "./vector-codec.js";

const songColumns = [
  "id",
  "title",
  "artists",
  "album",
  "genre",
  "language",
  "release_date",
  "danceability",
  "energy",
  "key",
  "loudness",
  "mode",
  "speechiness",
  "acousticness",
  "instrumentalness",
  "liveness",
  "valence",
  "tempo",
  "duration_ms",
] as const;

type SongRowSelection = Pick<Selectable<SongsTable>, (typeof songColumns)[number]>;

const toSong = (row: SongRowSelection): Song => ({
  id: row.id,
  title: row.title,
  artists: JSON.parse(row.artists) as string[],
  album: row.album,
  genre: row.genre,
  language: row.language,
  releaseDate: row.release_date,
  features: {
    danceability: row.danceability,
    energy: row.energy,
    key: row.key,
    loudness: row.loudness,
    mode: row.mode,
    speechiness: row.speechiness,
    acousticness: row.acousticness,
    instrumentalness: row.instrumentalness,
    liveness: row.liveness,
    valence: row.valence,
    tempo: row.tempo,
    durationMs: row.duration_ms,
  },
});

/** Quotes a word for an FTS5 query, so no user input is read as query syntax. */
const ftsTerm = (term: string) => `"${term.replaceAll('"', '""')}"`;

/** bm25 column weights: title, artists, lyrics. Names weigh less: a prompt is mostly about themes. */
const bm25Weights = sql`bm25(songs_fts, 1.0, 0.5, 1.0)`;

export function createSqlSongStore(db: Kysely<Database>): SongStore {
  const modelIdOf = async (model: string) =>
    (await db.selectFrom("embedding_models").select("id").where("name", "=", model).executeTakeFirst())?.id;

  return {
    async getSong(id): Promise<SongWithLyrics | null> {
      const row = await db
        .selectFrom("songs")
        .select([...songColumns, "lyrics"])
        .where("id", "=", id)
        .executeTakeFirst();
      return row ? { ...toSong(row), lyrics: row.lyrics } : null;
    },

    async getSongs(ids) {
      const out = new Map<string, Song>();
      if (ids.length === 0) return out;
      const rows = await db
        .selectFrom("songs")
        .select(songColumns)
        .where("id", "in", [...ids])
        .execute();
      for (const row of rows) out.set(row.id, toSong(row));
      return out;
    },

    async getPassages(ids) {
      const out = new Map<number, PassageRecord>();
      if (ids.length === 0) return out;
      const rows = await db
        .selectFrom("passages")
        .select(["id", "song_id", "ordinal", "text"])
        .where("id", "in", [...ids])
        .execute();
      for (const r of rows) out.set(r.id, { id: r.id, songId: r.song_id, ordinal: r.ordinal, text: r.text });
      return out;
    },

    async passagesOfSongs(songIds, model) {
      if (songIds.length === 0) return [];
      const modelId = await modelIdOf(model);
      if (modelId === undefined) return [];
      const rows = await db
        .selectFrom("passages")
        .select(["id", "song_id", "ordinal", "text", "vector"])
        .where("song_id", "in", [...songIds])
        .where("model_id", "=", modelId)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        songId: r.song_id,
        ordinal: r.ordinal,
        text: r.text,
        vector: decodeVector(r.vector),
      }));
    },

    async songVectors(ids, model) {
      const out = new Map<string, Float32Array>();
      const modelId = await modelIdOf(model);
      if (modelId === undefined || ids.length === 0) return out;
      const rows = await db
        .selectFrom("songs")
        .select(["id", "vector"])
        .where("id", "in", [...ids])
        .where("model_id", "=", modelId)
        .execute();
      for (const row of rows) if (row.vector) out.set(row.id, decodeVector(row.vector));
      return out;
    },

    async *streamSongVectors(model, batchSize = 2048) {
      const modelId = await modelIdOf(model);
      if (modelId === undefined) return;
      let after = 0;
      for (;;) {
        const rows = await db
          .selectFrom("songs")
          .select(["pk", "id", "vector"])
          .where("model_id", "=", modelId)
          .where("vector", "is not", null)
          .where("pk", ">", after)
          .orderBy("pk")
          .limit(batchSize)
          .execute();
        if (rows.length === 0) return;
        yield rows.map((r) => ({ songId: r.id, vector: decodeVector(r.vector!) }));
        after = rows[rows.length - 1]!.pk;
      }
    },

    async searchLexical(terms, limit): Promise<LexicalHit[]> {
      const words = terms.filter((t) => t.trim() !== "");
      if (words.length === 0 || limit <= 0) return [];
      const match = words.map(ftsTerm).join(" OR ");
      const { rows } = await sql<{ id: string; rank: number }>`
        SELECT s.id AS id, ${bm25Weights} AS rank
        FROM songs_fts JOIN songs s ON s.pk = songs_fts.rowid
        WHERE songs_fts MATCH ${match}
        ORDER BY rank
        LIMIT ${limit}`.execute(db);
      // bm25() is lower-is-better; the port promises higher-is-better.
      return rows.map((r) => ({ songId: r.id, score: -r.rank }));
    },
  };
}
