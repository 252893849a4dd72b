/**
 * Prompt search: the dialect's own full-text index finds the prompts that hold every word
 * (the last one also as a prefix once it has three letters, for search as you type), and each
 * match is scored by how much of the prompt the words make up — their occurrences over the
 * prompt's length, counted in its folded `search_text`. The score depends on the prompt alone,
 * never on what else the corpus holds (bm25 and MariaDB's relevance move as prompts come and
 * go), so the (score, id) cursor of a page stays exact; and all three dialects rank alike.
 */
import { sql, type RawBuilder } from "kysely";
import type { SqlContext } from "../dialect-sql.js";
import { foldWord } from "../search-text.js";

export interface RankedPrompt {
  id: number;
  /** Higher is better. */
  score: number;
}

interface Term {
  /** As typed, lower-case: what the MariaDB index is given (its collation folds accents). */
  raw: string;
  folded: string;
  prefix: boolean;
}

/**
 * An FTS5 query that matches every term as a literal token. Quoting each term keeps FTS5's
 * query operators (AND, NEAR, column filters, "*") out of reach of what people type.
 */
export function fts5MatchExpression(terms: readonly string[]): string {
  return terms
    .map((term, i) => {
      const quoted = `"${term.replaceAll('"', '""')}"`;
      return i === terms.length - 1 && [...term].length >= 3 ? `${quoted}*` : quoted;
    })
    .join(" ");
}

/** The same for PostgreSQL's to_tsquery: quoted lexemes joined by &, the last one a prefix. */
function tsqueryExpression(terms: readonly Term[]): string {
  return terms.map((t) => `'${t.folded.replaceAll("'", "''")}'${t.prefix ? ":*" : ""}`).join(" & ");
}

interface MariadbLimits {
  minTokenSize: number;
  stopwords: Set<string>;
}

export function createPromptSearch({ db, dialect }: SqlContext) {
  let mariadbLimits: Promise<MariadbLimits> | undefined;

  /**
   * InnoDB leaves words shorter than innodb_ft_min_token_size, and its stopwords, out of the
   * index: required in a boolean query, they would match nothing. Those words are checked on
   * the folded text instead.
   */
  async function readMariadbLimits(): Promise<MariadbLimits> {
    const { rows } = await sql<{
      min: number;
      enabled: number;
      server: string | null;
    }>`SELECT @@innodb_ft_min_token_size AS min, @@innodb_ft_enable_stopword AS enabled,
         @@innodb_ft_server_stopword_table AS server`.execute(db);
    const settings = rows[0]!;
    const stopwords = new Set<string>();
    if (Number(settings.enabled) === 1) {
      const source = settings.server
        ? sql`SELECT value FROM ${sql.table(settings.server.replace("/", "."))}`
        : sql`SELECT value FROM information_schema.INNODB_FT_DEFAULT_STOPWORD`;
      const { rows: words } = await source.execute(db);
      for (const w of words as { value: string }[]) stopwords.add(foldWord(w.value));
    }
    return { minTokenSize: Number(settings.min), stopwords };
  }

  /** Occurrences of each term over the prompt's length, as SQL. */
  function scoreExpression(terms: readonly Term[]): RawBuilder<number> {
    const length = dialect === "mariadb" ? "char_length" : "length";
    const occurrences = terms.map((t) => {
      const pattern = t.prefix ? ` ${t.folded}` : ` ${t.folded} `;
      return sql`((${sql.raw(length)}(p.search_text) - ${sql.raw(length)}(replace(p.search_text, ${pattern}, ''))) / ${sql.lit(
        [...pattern].length,
      )})`;
    });
    const double = dialect === "sqlite" ? "REAL" : dialect === "postgres" ? "double precision" : "DOUBLE";
    return sql<number>`CAST(${sql.join(occurrences, sql` + `)} AS ${sql.raw(double)}) / p.word_count`;
  }

  async function matches(
    terms: readonly Term[],
  ): Promise<{ from: RawBuilder<unknown>; where: RawBuilder<unknown> }> {
    switch (dialect) {
      case "sqlite":
        return {
          from: sql`prompts_fts JOIN prompts p ON p.id = prompts_fts.rowid`,
          where: sql`prompts_fts MATCH ${fts5MatchExpression(terms.map((t) => t.raw))}`,
        };
      case "postgres":
        return {
          from: sql`prompts p`,
          where: sql`p.search @@ to_tsquery('simple', ${tsqueryExpression(terms)})`,
        };
      case "mariadb": {
        mariadbLimits ??= readMariadbLimits().catch((error: unknown) => {
          mariadbLimits = undefined;
          throw error;
        });
        const limits = await mariadbLimits;
        const indexed = (t: Term) =>
          [...t.folded].length >= limits.minTokenSize && !limits.stopwords.has(t.folded);
        const boolean = terms
          .filter(indexed)
          .map((t) => `+${t.raw}${t.prefix ? "*" : ""}`)
          .join(" ");
        const conditions = [
          ...(boolean ? [sql`MATCH(p.text) AGAINST (${boolean} IN BOOLEAN MODE)`] : []),
          ...terms
            .filter((t) => !indexed(t))
            .map((t) => sql`p.search_text LIKE ${t.prefix ? `% ${t.folded}%` : `% ${t.folded} %`}`),
        ];
        return { from: sql`prompts p`, where: sql.join(conditions, sql` AND `) };
      }
    }
  }

  /** The words as terms: folded, the last one a prefix once it has three letters. */
  const termsOf = (words: readonly string[]): Term[] =>
    words
      .map((raw, i) => ({
        raw,
        folded: foldWord(raw),
        prefix: i === words.length - 1 && [...raw].length >= 3,
      }))
      .filter((t) => t.folded !== "");

  return {
    /** The best `limit` matches after `after` (score descending, then newest first). */
    async rank(
      words: readonly string[],
      after: { score: number; id: number } | null,
      limit: number,
    ): Promise<RankedPrompt[]> {
      const terms = termsOf(words);
      if (terms.length === 0) return [];
      const { from, where } = await matches(terms);
      const afterClause = after
        ? sql`WHERE score < ${after.score} OR (score = ${after.score} AND id < ${after.id})`
        : sql``;
      const { rows } = await sql<RankedPrompt>`
        SELECT id, score FROM (
          SELECT p.id AS id, ${scoreExpression(terms)} AS score FROM ${from} WHERE ${where}
        ) ranked ${afterClause}
        ORDER BY score DESC, id DESC
        LIMIT ${limit}`.execute(db);
      return rows.map((r) => ({ id: Number(r.id), score: Number(r.score) }));
    },

    /**
     * How many prompts hold the words: the full-text index's part of a search alone, without
     * scoring or reading the page (the benchmarks' floor for what a search can cost).
     */
    async count(words: readonly string[]): Promise<number> {
      const terms = termsOf(words);
      if (terms.length === 0) return 0;
      const { from, where } = await matches(terms);
      const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM ${from} WHERE ${where}`.execute(db);
      return Number(rows[0]?.n ?? 0);
    },
  };
}
