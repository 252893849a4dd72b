/** Schemas shared by several resources; each resource keeps its own in its folder's schema.ts. */
import { Type, type TSchema, type TSchemaOptions } from "typebox";
import { errorCatalogue, type ErrorCode } from "../core/errors.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../core/social/cursor.js";

/** The value, or null. */
export const Nullable = <T extends TSchema>(schema: T, options?: TSchemaOptions) =>
  Type.Union([schema, Type.Null()], options);

/** An error: its stable code from the catalogue (src/core/errors.ts), and words for people. */
export const ErrorSchema = Type.Object({
  code: Type.Enum(Object.keys(errorCatalogue) as ErrorCode[], {
    type: "string",
    description: "stable error code",
  }),
  message: Type.String(),
});

export const ErrorResponseSchema = Type.Object(
  { error: ErrorSchema },
  { $id: "ErrorResponse", description: "every error has this shape" },
);

/** The error responses a route may give, by status, for the OpenAPI document. */
export const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, Type.Ref("ErrorResponse")]));

/**
 * An integer of a query string or a path, where Ajv coerces text to numbers. It coerces
 * "Infinity" (and "1e400") to Infinity without checking the type again, and its bounds skip
 * numbers that are not finite, so `?limit=Infinity` reached the database as a page size (a
 * 500). The inner type check runs on the coerced value and refuses it.
 */
export const TextInteger = (options: Parameters<typeof Type.Integer>[0] = {}) =>
  Type.Integer({ ...options, allOf: [{ type: "integer" }] });

/** Query of every paginated list. */
export const PageQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 512, description: "nextCursor of the previous page" })),
  limit: TextInteger({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE }),
});

/** A page of a list: `nextCursor` is null on the last one. */
export const Paged = <Item extends TSchema>(item: Item) =>
  Type.Object({
    items: Type.Array(item),
    nextCursor: Nullable(Type.String()),
  });

/**
 * For routes that act on the path alone: a body naming someone (`{"userId": 2}`, the original
 * system's way of acting as anyone) is refused rather than silently ignored.
 */
export const NoBody = Nullable(Type.Object({}, { additionalProperties: false }), {
  description: "no body (or an empty object): the signed-in user acts for themselves",
});
