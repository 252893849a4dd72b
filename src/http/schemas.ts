/** Schemas shared by several routes; each resource keeps its own beside its routes. */
import { Type } from "typebox";

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: "stable error code" }),
      message: Type.String(),
    }),
  },
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
