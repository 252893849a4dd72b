/** The catalog's read side on SQL: songs, passages, vectors and full-text search. */
import { sql, type Kysely, type Selectable } from "kysely";
import type { Song, SongWithLyrics } from "../../core/catalog/song.js";
import type { LexicalHit, PassageRecord, SongStore } from "../../core/catalog/store.js";
import type { Database } from "./schema/index.js";
import type { SongsTable } from "./schema/catalog.js";
import { isAnyOf } from "./any-of.js";
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

/** A word as the full-text index stores it (unicode61, remove_diacritics 2): lower case, no accents. */
const foldForIndex = (word: string) => word.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().trim();

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
      const rows = await db.selectFrom("songs").select(songColumns).where(isAnyOf("id", ids)).execute();
      for (const row of rows) out.set(row.id, toSong(row));
      return out;
    },

    async getPassages(ids) {
      const out = new Map<number, PassageRecord>();
      if (ids.length === 0) return out;
      const rows = await db
        .selectFrom("passages")
        .select(["id", "song_id", "ordinal", "text"])
        .where(isAnyOf("id", ids))
        .execute();
      for (const r of rows) out.set(r.id, { id: r.id, songId: r.song_id, ordinal: r.ordinal, text: r.text });
      return out;
    },

    async songsOfPassages(ids) {
      const out = new Map<number, string>();
      if (ids.length === 0) return out;
      const rows = await db
        .selectFrom("passages")
        .select(["id", "song_id"])
        .where(isAnyOf("id", ids))
        .execute();
      for (const r of rows) out.set(r.id, r.song_id);
      return out;
    },

    async passagesOfSongs(songIds, model) {
      if (songIds.length === 0) return [];
      const modelId = await modelIdOf(model);
      if (modelId === undefined) return [];
      // Filtering the model here rather than in SQL keeps the planner on the song_id index:
      // given both, SQLite may walk every passage of the model instead.
      const rows = await db
        .selectFrom("passages")
        .select(["id", "song_id", "ordinal", "text", "vector", "model_id"])
        .where(isAnyOf("song_id", songIds))
        .execute();
      return rows
        .filter((r) => r.model_id === modelId)
        .map((r) => ({
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
        .where(isAnyOf("id", ids))
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
      const words = [...new Set(terms.map(foldForIndex).filter((t) => t !== ""))];
      if (words.length === 0 || limit <= 0) return [];
      // A word in half the songs or more gets no weight from bm25 (FTS5 floors its idf), yet
      // matching it would score every one of those songs: it is left out, and the ranking of
      // the songs that match the other words stays the same.
      const [{ songs }] = (await sql<{ songs: number }>`SELECT count(*) AS songs FROM songs`.execute(db))
        .rows as [{ songs: number }];
      const { rows: frequencies } = await sql<{ term: string; doc: number }>`
        SELECT term, doc FROM songs_fts_vocabulary WHERE term IN (${sql.join(words)})`.execute(db);
      const common = new Set(frequencies.filter((f) => f.doc * 2 >= songs).map((f) => f.term));
      const present = new Set(frequencies.map((f) => f.term));
      const known = words.filter((w) => present.has(w));
      const rare = known.filter((w) => !common.has(w));
      // Only common words: then they are all there is to rank by.
      const searched = rare.length > 0 ? rare : known;
      if (searched.length === 0) return [];
      const match = searched.map(ftsTerm).join(" OR ");
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
