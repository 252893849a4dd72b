/**
 * Opaque keyset cursors: the sort key of the last item of a page, so the next page starts right
 * after it whatever was inserted meanwhile (an OFFSET would shift). Clients must not build them;
 * base64url of JSON keeps them URL-safe and tagged by list, so one list's cursor is refused by
 * another instead of being misread.
 */
import { VersoError } from "../errors.js";

export type KeyPart = "integer" | "number" | "string";

type PartType<P extends KeyPart> = P extends "string" ? string : number;
export type KeyOf<Shape extends readonly KeyPart[]> = { [I in keyof Shape]: PartType<Shape[I]> };

export interface CursorCodec<Shape extends readonly KeyPart[]> {
  encode(key: KeyOf<Shape>): string;
  /** Throws INVALID_CURSOR for anything this codec did not produce. */
  decode(cursor: string): KeyOf<Shape>;
}

const MAX_CURSOR_LENGTH = 512;

/**
 * The largest integer every database stores in an id or year column (a 32-bit signed integer:
 * PostgreSQL's and MariaDB's integer). A larger one given to PostgreSQL to compare with such a
 * column is an error of the query, so ids and keys from outside are bounded here first.
 */
export const MAX_STORED_INTEGER = 2_147_483_647;

const invalidCursor = (): VersoError =>
  new VersoError("INVALID_CURSOR", "the cursor is not one this list gave out; start again without it");

const fits = (part: KeyPart, value: unknown): boolean => {
  switch (part) {
    case "integer":
      return Number.isInteger(value) && Math.abs(value as number) <= MAX_STORED_INTEGER;
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "string":
      return typeof value === "string";
  }
};

export function cursorCodec<const Shape extends readonly KeyPart[]>(
  list: string,
  shape: Shape,
): CursorCodec<Shape> {
  return {
    encode: (key) => Buffer.from(JSON.stringify([list, ...key]), "utf8").toString("base64url"),
    decode: (cursor) => {
      if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalidCursor();
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
      } catch {
        throw invalidCursor();
      }
      if (!Array.isArray(parsed) || parsed.length !== shape.length + 1 || parsed[0] !== list)
        throw invalidCursor();
      const key = parsed.slice(1);
      if (!shape.every((part, i) => fits(part, key[i]))) throw invalidCursor();
      return key as KeyOf<Shape>;
    },
  };
}

export interface Page<T> {
  items: T[];
  /** Null on the last page. */
  nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 50;

/**
 * Builds a page from rows fetched with limit + 1: the extra row only says whether another page
 * exists, and the cursor is the key of the last row shown.
 */
export function pageOf<Row, Item, Shape extends readonly KeyPart[]>(
  rows: Row[],
  limit: number,
  codec: CursorCodec<Shape>,
  keyOf: (row: Row) => KeyOf<Shape>,
  present: (row: Row) => Item,
): Page<Item> {
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return {
    items: shown.map(present),
    nextCursor: rows.length > limit && last !== undefined ? codec.encode(keyOf(last)) : null,
  };
}
