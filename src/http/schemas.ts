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
