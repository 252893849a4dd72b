/** The catalog's read side on SQL: songs, passages, vectors and full-text search. */
import { sql, type Selectable } from "kysely";
import { normalizeSongFilter, type SongFilter } from "../../core/catalog/song-filter.js";
import type { Song, SongOrigin, SongWithLyrics } from "../../core/catalog/song.js";
import type {
  ArtistSongPosition,
  LexicalHit,
  PassageRecord,
  SongPageStore,
  SongStore,
} from "../../core/catalog/store.js";
import type { SqlDialect } from "./database.js";
import { isAnyOf, jsonArrayHolds, type SqlContext } from "./dialect-sql.js";
import { currentVersion } from "./catalog/catalog-version.js";
import { PerCatalogVersion } from "./catalog/per-version.js";
import { songColumns, type SongsTable } from "./schema/catalog.js";
import { searchWords } from "./search-text.js";
import { songFilterCondition } from "./song-filter-sql.js";
import { decodeVector } from "./vector-codec.js";

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
  ...(row.origin ? { origin: JSON.parse(row.origin) as SongOrigin } : {}),
});

/** Matches ranked per song asked for, when only the best are looked up (see searchSqlite). */
const lookupsPerResult = 4;

/** Quotes a word for an FTS5 query, so no user input is read as query syntax. */
const ftsTerm = (term: string) => `"${term.replaceAll('"', '""')}"`;

/** bm25 column weights: title, artists, lyrics. Names weigh less: a prompt is mostly about themes. */
const bm25Weights = sql`bm25(songs_fts, 1.0, 0.5, 1.0)`;

/** ts_rank weights {D, C, B, A}: lyrics (C) and titles (A) 1, artists (B) 0.5, as bm25Weights. */
const tsRankWeights = sql`'{0.1, 1.0, 0.5, 1.0}'::float4[]`;

/**
 * Only songs with lyrics to match: a song without (missing, a placeholder, a line or two) is no
 * answer to a prompt, even when its title holds the prompt's words.
 */
const searchable = sql`s.lyrics_status = 'ok'`;

/** Each dialect's full-text index, as SongStore.fullTextIndex names it. */
const fullTextIndexes: Record<SqlDialect, string> = {
  sqlite: "fts5",
  mariadb: "innodb-fulltext",
  postgres: "tsvector",
};

export function createSqlSongStore(context: SqlContext): SongStore & SongPageStore {
  const { db, dialect } = context;
  const anyOf = (column: string, values: readonly (string | number)[]) => isAnyOf(dialect, column, values);
  const modelIdOf = async (model: string) =>
    (await db.selectFrom("embedding_models").select("id").where("name", "=", model).executeTakeFirst())?.id;
  /** How many songs the catalog holds: a count of the whole table, so once per catalog version. */
  const songCount = new PerCatalogVersion(async () => {
    const { rows } = await sql<{ songs: number }>`SELECT count(*) AS songs FROM songs`.execute(db);
    return Number(rows[0]?.songs ?? 0);
  });
  /** Songs holding each word, per catalog version (PostgreSQL only: the others know it themselves). */
  const documentFrequency = { version: -1, songs: 0, words: new Map<string, number>() };

  /**
   * SQLite: bm25 over FTS5. A word in half the songs or more gets no weight from bm25 (FTS5
   * floors its idf), yet matching it would score every one of those songs: it is left out,
   * and the ranking of the songs that match the other words stays the same.
   */
  async function searchSqlite(
    words: string[],
    limit: number,
    filter: SongFilter | undefined,
    prefix: boolean,
  ) {
    const { value: songs } = await songCount.get(await currentVersion(db));
    // A prefix's songs are at least those of its commonest word: enough to tell a common one.
    // One lookup of the vocabulary per prefix: joined to a list of five or more, the planner
    // read the whole vocabulary instead (0.8 s at 95,000 songs).
    const { rows: found } = prefix
      ? await sql<{ term: string; doc: number | null }>`
          SELECT p.value AS term, (
            SELECT max(v.doc) FROM songs_fts_vocabulary v WHERE v.term >= p.value AND v.term < p.value || x'ff'
          ) AS doc FROM json_each(${JSON.stringify(words)}) p`.execute(db)
      : await sql<{ term: string; doc: number }>`
          SELECT term, doc FROM songs_fts_vocabulary WHERE term IN (${sql.join(words)})`.execute(db);
    const frequencies = found.filter((f): f is { term: string; doc: number } => f.doc !== null);
    const common = new Set(frequencies.filter((f) => f.doc * 2 >= songs).map((f) => f.term));
    const present = new Set(frequencies.map((f) => f.term));
    const known = words.filter((w) => present.has(w));
    const rare = known.filter((w) => !common.has(w));
    // Only common words: then they are all there is to rank by.
    const searched = rare.length > 0 ? rare : known;
    if (searched.length === 0) return [];
    const match = searched.map((w) => (prefix ? `${ftsTerm(w)}*` : ftsTerm(w))).join(" OR ");
    // Each match is looked up in songs (through songs_full_text_lookup: the table's rows hold
    // lyrics) for the filter. Without a filter only the best matches need it: FTS5 ranks them
    // alone first, and when fewer than `limit` of those are searchable the query runs again
    // over every match, so the answer is the same either way. A filter's songs may all lie
    // past them, so with one every match is looked up at once.
    const ranked = (bounded: boolean) =>
      sql<{ id: string; rank: number }>`
      SELECT s.id AS id, f.rank AS rank
      FROM (
        SELECT rowid, ${bm25Weights} AS rank FROM songs_fts WHERE songs_fts MATCH ${match}
        ${bounded ? sql`ORDER BY rank, rowid LIMIT ${limit * lookupsPerResult}` : sql``}
      ) f JOIN songs s INDEXED BY songs_full_text_lookup ON s.pk = f.rowid
      WHERE ${searchable} AND ${songFilterCondition(filter, "s")}
      ORDER BY f.rank, s.pk
      LIMIT ${limit}`.execute(db);
    const bounded = normalizeSongFilter(filter) === undefined;
    let { rows } = await ranked(bounded);
    if (bounded && rows.length < limit) ({ rows } = await ranked(false));
    // bm25() is lower-is-better; the port promises higher-is-better.
    return rows.map((r) => ({ songId: r.id, score: -r.rank }));
  }

  /**
   * PostgreSQL: ts_rank knows no corpus statistics, so each word's rank is weighed by its
   * inverse document frequency (as bm25 does), from counts through the GIN index, kept per
   * catalog version; words in half the songs or more are left out, as on SQLite.
   */
  async function searchPostgres(
    words: string[],
    limit: number,
    filter: SongFilter | undefined,
    prefix: boolean,
  ) {
    const lexeme = (w: string) => (prefix ? `${tsLexeme(w)}:*` : tsLexeme(w));
    const version = await currentVersion(db);
    if (documentFrequency.version !== version) {
      const { value: songs } = await songCount.get(version);
      Object.assign(documentFrequency, { version, songs, words: new Map() });
    }
    const key = (w: string) => (prefix ? `${w}*` : w);
    const unknown = words.filter((w) => !documentFrequency.words.has(key(w)));
    if (unknown.length > 0) {
      const { rows } = await sql<Record<string, number>>`SELECT ${sql.join(
        unknown.map(
          (w, i) =>
            sql`(SELECT count(*) FROM songs WHERE search @@ to_tsquery('simple', ${lexeme(w)})) AS ${sql.ref(`d${i}`)}`,
        ),
      )}`.execute(db);
      unknown.forEach((w, i) => documentFrequency.words.set(key(w), Number(rows[0]![`d${i}`])));
    }
    const n = documentFrequency.songs;
    const df = (w: string) => documentFrequency.words.get(key(w)) ?? 0;
    const present = words.filter((w) => df(w) > 0);
    const rare = present.filter((w) => df(w) * 2 < n);
    const searched = rare.length > 0 ? rare : present;
    if (searched.length === 0) return [];
    const idf = (w: string) => {
      const frequency = df(w);
      return Math.log(1 + (n - frequency + 0.5) / (frequency + 0.5));
    };
    const score = sql.join(
      searched.map(
        (w) =>
          sql`${idf(w)}::float8 * ts_rank(${tsRankWeights}, s.search, to_tsquery('simple', ${lexeme(w)}), 1)`,
      ),
      sql` + `,
    );
    const { rows } = await sql<{ id: string; score: number }>`
      SELECT s.id AS id, ${score} AS score
      FROM songs s
      WHERE s.search @@ to_tsquery('simple', ${searched.map(lexeme).join(" | ")}) AND ${searchable}
        AND ${songFilterCondition(filter, "s")}
      ORDER BY score DESC, s.pk
      LIMIT ${limit}`.execute(db);
    return rows.map((r) => ({ songId: r.id, score: Number(r.score) }));
  }

  /** MariaDB: each word's songs and the relevance InnoDB gives one occurrence of it, per catalog version. */
  const innodbWords = {
    version: -1,
    songs: 0,
    averageLength: 1,
    words: new Map<string, { df: number; unit: number }>(),
  };

  /**
   * MariaDB: bm25 (k1 1.2, b 0.75), as SQLite ranks, computed from what InnoDB's FULLTEXT
   * index tells. InnoDB's own natural-language relevance grows with every repetition of a word
   * and knows nothing of length, so a long chorus outranks a song about the prompt. For one
   * word its relevance is the word's occurrences times a constant of the word: the smallest
   * relevance among the songs holding it (one occurrence) gives that constant, and with it each
   * song's term frequency; the length is the lyrics' in characters, against their mean.
   */
  async function searchMariadb(
    words: string[],
    limit: number,
    filter: SongFilter | undefined,
    prefix: boolean,
  ) {
    const term = (w: string) => (prefix ? `${w}*` : w);
    const { rows: state } = await sql<{ version: number }>`
      SELECT version FROM catalog_state WHERE id = 1`.execute(db);
    const version = Number(state[0]?.version ?? 0);
    if (innodbWords.version !== version) {
      // The lengths are read once per catalog version: every lyric, too much for every ask.
      const { rows } = await sql<{ songs: number; average: number | null }>`
        SELECT count(*) AS songs, avg(char_length(coalesce(lyrics, ''))) AS average FROM songs`.execute(db);
      Object.assign(innodbWords, {
        version,
        songs: Number(rows[0]?.songs ?? 0),
        averageLength: Math.max(1, Number(rows[0]?.average ?? 1)),
        words: new Map(),
      });
    }
    for (const w of words.filter((word) => !innodbWords.words.has(term(word)))) {
      const { rows } = await sql<{ df: number; unit: number | null }>`
        SELECT count(*) AS df, min(r) AS unit FROM (
          SELECT MATCH(title, artists, lyrics) AGAINST (${term(w)} IN BOOLEAN MODE) AS r FROM songs
          WHERE MATCH(title, artists, lyrics) AGAINST (${term(w)} IN BOOLEAN MODE)) matches`.execute(db);
      innodbWords.words.set(term(w), { df: Number(rows[0]?.df ?? 0), unit: Number(rows[0]?.unit ?? 0) });
    }
    const n = innodbWords.songs;
    // Words InnoDB does not index (stop words, words shorter than its minimum) match nothing.
    const present = words.filter((w) => (innodbWords.words.get(term(w))?.unit ?? 0) > 0);
    const rare = present.filter((w) => innodbWords.words.get(term(w))!.df * 2 < n);
    const searched = rare.length > 0 ? rare : present;
    if (searched.length === 0) return [];
    const lengthNorm = sql`(0.25 + 0.75 * char_length(coalesce(s.lyrics, '')) / ${innodbWords.averageLength})`;
    const score = sql.join(
      searched.map((w) => {
        const { df, unit } = innodbWords.words.get(term(w))!;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        const tf = sql`(MATCH(s.title, s.artists, s.lyrics) AGAINST (${term(w)} IN BOOLEAN MODE) / ${unit})`;
        return sql`${idf} * ${tf} * 2.2 / (${tf} + 1.2 * ${lengthNorm})`;
      }),
      sql` + `,
    );
    const { rows } = await sql<{ id: string; score: number }>`
      SELECT s.id AS id, ${score} AS score
      FROM songs s
      WHERE MATCH(s.title, s.artists, s.lyrics) AGAINST (${searched.map(term).join(" ")} IN BOOLEAN MODE)
        AND ${searchable} AND ${songFilterCondition(filter, "s")}
      ORDER BY score DESC, s.pk
      LIMIT ${limit}`.execute(db);
    return rows.map((r) => ({ songId: r.id, score: Number(r.score) }));
  }
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
      const rows = await db.selectFrom("songs").select(songColumns).where(anyOf("id", ids)).execute();
      for (const row of rows) out.set(row.id, toSong(row));
      return out;
    },

    async getPassages(ids) {
      const out = new Map<number, PassageRecord>();
      if (ids.length === 0) return out;
      const rows = await db
        .selectFrom("passages")
        .select(["id", "song_id", "ordinal", "text"])
        .where(anyOf("id", ids))
        .execute();
      for (const r of rows) out.set(r.id, { id: r.id, songId: r.song_id, ordinal: r.ordinal, text: r.text });
      return out;
    },

    async passageAt(songId, ordinal) {
      const row = await db
        .selectFrom("passages")
        .select(["ordinal", "text"])
        .where("song_id", "=", songId)
        .where("ordinal", "=", ordinal)
        .executeTakeFirst();
      return row ? { ordinal: row.ordinal, text: row.text } : null;
    },

    async songsByArtist(artist, page) {
      // A song without a year sorts as year -1: after every dated one, newest first.
      const year = sql<number>`coalesce(s.release_year, -1)`;
      let query = db
        .selectFrom("songs as s")
        .select([...songColumns.map((column) => `s.${column}` as const), "s.pk", year.as("year")])
        .where(jsonArrayHolds(dialect, "s.artists", artist));
      if (page.after) {
        const [afterYear, afterRow] = page.after;
        query = query.where((eb) =>
          eb.or([eb(year, "<", afterYear), eb.and([eb(year, "=", afterYear), eb("s.pk", ">", afterRow)])]),
        );
      }
      const rows = await query.orderBy(year, "desc").orderBy("s.pk").limit(page.limit).execute();
      return rows.map((row) => ({
        song: toSong(row),
        position: [Number(row.year), Number(row.pk)] as ArtistSongPosition,
      }));
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
        .where(anyOf("song_id", songIds))
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
        .where(anyOf("id", ids))
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

    async embeddedSongs(model) {
      // Songs, not passages: one row each, and a song is re-embedded whole in one commit.
      const rows = await db
        .selectFrom("songs")
        .select((eb) => ["model_id", eb.fn.countAll<number>().as("songs")])
        .where("vector", "is not", null)
        .groupBy("model_id")
        .execute();
      const modelId = await modelIdOf(model);
      return {
        done: Number(rows.find((r) => r.model_id !== null && Number(r.model_id) === modelId)?.songs ?? 0),
        total: rows.reduce((sum, r) => sum + Number(r.songs), 0),
      };
    },

    fullTextIndex: fullTextIndexes[dialect],

    async searchLexical(terms, limit, filter, options): Promise<LexicalHit[]> {
      // The words as every dialect's index splits and folds them (accents off, lower case).
      const words = [...new Set(terms.flatMap(searchWords))];
      if (words.length === 0 || limit <= 0) return [];
      const prefix = options?.prefix ?? false;
      if (dialect === "postgres") return searchPostgres(words, limit, filter, prefix);
      if (dialect === "mariadb") return searchMariadb(words, limit, filter, prefix);
      return searchSqlite(words, limit, filter, prefix);
    },
  };
}

/** A word as a quoted to_tsquery lexeme. */
const tsLexeme = (word: string) => `'${word.replaceAll("'", "''")}'`;
