/**
 * The column types and table options that differ between dialects, for migrations. SQLite's
 * are what the first migrations always produced, so existing SQLite databases keep their
 * schema; MariaDB and PostgreSQL get the equivalent types of their own.
 */
import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder } from "kysely";

type DataTypeExpression = Parameters<CreateTableBuilder<string, string>["addColumn"]>[1];
import type { SqlDialect } from "../database.js";

export interface ColumnTypes {
  /** An auto-numbered integer primary key. */
  autoId(column: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /** Text of any length (lyrics, error messages): SQLite text, MariaDB mediumtext, PostgreSQL text. */
  longText: DataTypeExpression;
  /**
   * Text that full-text search reads: the type SQLite and PostgreSQL use, and MariaDB's, which
   * compares case- and accent-insensitively (its FULLTEXT index folds with the column's collation).
   */
  searchableText(type: string, mariadbType: string): DataTypeExpression;
  bytes: DataTypeExpression;
  double: DataTypeExpression;
  /** MariaDB: InnoDB, utf8mb4, and binary comparison (ids and keys are case-sensitive). */
  table<T extends string, C extends string>(builder: CreateTableBuilder<T, C>): CreateTableBuilder<T, C>;
}

export function columnTypes(dialect: SqlDialect): ColumnTypes {
  switch (dialect) {
    case "sqlite":
      return {
        autoId: (c) => c.primaryKey().autoIncrement(),
        longText: "text",
        searchableText: (type) => sql.raw(type),
        bytes: "blob",
        double: "real",
        table: (builder) => builder,
      };
    case "mariadb":
      return {
        autoId: (c) => c.primaryKey().autoIncrement(),
        longText: sql`mediumtext`,
        searchableText: (_type, mariadbType) => sql.raw(`${mariadbType} COLLATE utf8mb4_unicode_ci`),
        bytes: sql`mediumblob`,
        double: "double precision",
        table: (builder) => builder.modifyEnd(sql`ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`),
      };
    case "postgres":
      return {
        autoId: (c) => c.primaryKey().generatedByDefaultAsIdentity(),
        longText: "text",
        searchableText: (type) => sql.raw(type),
        bytes: sql`bytea`,
        double: "double precision",
        table: (builder) => builder,
      };
  }
}
