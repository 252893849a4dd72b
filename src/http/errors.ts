/**
 * One place that turns any error into `{error:{code,message}}` with the right status. Domain
 * errors carry a stable code; Fastify's own errors (bad JSON, validation, size) are mapped to
 * codes of the same catalogue; anything else is a 500 whose details stay in the log.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyServerOptions } from "fastify";
import type { Static } from "typebox";
import { failureKind } from "../core/catalog/failures.js";
import { VersoError, type ErrorKind } from "../core/errors.js";
import type { ErrorResponseSchema } from "./schemas.js";

export const statusOfKind: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported: 415,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

type ErrorBody = Static<typeof ErrorResponseSchema>;

function fromFastify(error: FastifyError): VersoError | null {
  if (error.validation) {
    const context = error.validationContext ?? "request";
    const detail = error.validation
      .map(
        (v) =>
          `${context}${v.instancePath ? v.instancePath.replaceAll("/", ".") : ""} ${v.message ?? "is invalid"}`,
      )
      .join("; ");
    return new VersoError("VALIDATION_FAILED", detail);
  }
  switch (error.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new VersoError("INVALID_JSON", "the request body is not valid JSON");
    // A body shorter or longer than its Content-Length is the client's fault, not a 500.
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new VersoError("INVALID_JSON", "the request body does not match its Content-Length");
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new VersoError("BODY_TOO_LARGE", "the request body is too large");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new VersoError("UNSUPPORTED_MEDIA_TYPE", "send the body as application/json");
    // A static file path that leaves its folder (`/api/docs/static/%2e%2e/…`): there is no such file.
    case "FST_STATIC_FORBIDDEN_PATH":
      return new VersoError("ROUTE_NOT_FOUND", "no file at this path");
  }
  if (error instanceof SyntaxError && error.statusCode === 400) {
    return new VersoError("INVALID_JSON", "the request body is not valid JSON");
  }
  // Any other refusal of a request by Fastify or one of its plugins is the client's, not a 500.
  if (typeof error.statusCode === "number" && error.statusCode >= 400 && error.statusCode < 500) {
    return new VersoError("VALIDATION_FAILED", `the request was refused: ${error.message}`);
  }
  return null;
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known =
      error instanceof VersoError
        ? error
        : (fromFastify(error) ??
          // A database, broker or cache that dropped its connection: the client may try again
          // in a moment (the pools reconnect), it is not a bug of ours.
          (failureKind(error) === "transient"
            ? new VersoError(
                "DEPENDENCY_UNAVAILABLE",
                "a service Verso depends on is not answering; try again shortly",
                {
                  cause: error,
                  retryAfterSeconds: 5,
                },
              )
            : null));
    if (!known) {
      request.log.error({ err: error }, "unhandled error");
      const body: ErrorBody = { error: { code: "INTERNAL", message: "something went wrong on our side" } };
      return reply.status(500).send(body);
    }
    if (known.kind === "internal" || known.kind === "unavailable")
      request.log.warn({ err: error }, known.message);
    if (known.retryAfterSeconds !== undefined) reply.header("retry-after", String(known.retryAfterSeconds));
    const body: ErrorBody = { error: { code: known.code, message: known.message } };
    return reply.status(statusOfKind[known.kind]).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const body: ErrorBody = {
      error: { code: "ROUTE_NOT_FOUND", message: `no route ${request.method} ${request.url.split("?")[0]}` },
    };
    return reply.status(404).send(body);
  });
}

/**
 * The router refuses a path that is not valid percent-encoding, or a parameter longer than it
 * allows, before any hook runs: answered in the catalogue's body like every other error.
 */
export const frameworkErrors: FastifyServerOptions["frameworkErrors"] = (error, _request, reply) => {
  const body: ErrorBody = {
    error: { code: "VALIDATION_FAILED", message: `the request path is not valid: ${error.message}` },
  };
  // Typed for no route in particular: the generic reply of any status.
  void (reply as unknown as FastifyReply).status(error.statusCode === 414 ? 414 : 400).send(body);
};
