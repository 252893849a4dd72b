/**
 * Errors of the Elasticsearch and OpenSearch adapters, typed so that callers (and /readyz) can
 * tell a server that is away or overloaded (DEPENDENCY_UNAVAILABLE: try again later) from a
 * request the server refuses (INTERNAL: a mapping that does not fit, an index someone else owns),
 * with the engine's own error type and reason kept for the logs.
 */
import { VersoError } from "../../core/errors.js";

export type EngineName = "Elasticsearch" | "OpenSearch";

/** One document a bulk request could not write. */
export interface BulkFailure {
  id: string;
  status: number;
  type: string;
  reason: string;
}

export class VectorEngineError extends VersoError {
  override readonly name = "VectorEngineError";

  constructor(
    message: string,
    readonly details: {
      engine: EngineName;
      /** HTTP status of the response, when there was one. */
      status?: number;
      /** The engine's error type, e.g. "index_not_found_exception". */
      type?: string;
      failures?: BulkFailure[];
      unavailable: boolean;
      cause?: unknown;
    },
  ) {
    super(details.unavailable ? "DEPENDENCY_UNAVAILABLE" : "INTERNAL", message, { cause: details.cause });
  }

  get status(): number | undefined {
    return this.details.status;
  }

  get type(): string | undefined {
    return this.details.type;
  }
}

/** What both official clients attach to an error that came with a response. */
interface ClientErrorShape {
  name?: unknown;
  message?: unknown;
  statusCode?: unknown;
  body?: unknown;
  meta?: { statusCode?: unknown; body?: unknown };
}

/** The status of a client error, when the server answered. */
export function responseStatus(error: unknown): number | undefined {
  const shape = (error ?? {}) as ClientErrorShape;
  const status = shape.statusCode ?? shape.meta?.statusCode;
  // The clients report a connection that never got an answer as status 0.
  return typeof status === "number" && status > 0 ? status : undefined;
}

/** `{error: {type, reason}}`, or a bare `{error: "…"}` as some security plugins answer. */
export function engineReason(body: unknown): { type?: string; reason?: string } {
  if (typeof body === "string") return { reason: body.slice(0, 300) };
  const error = (body as { error?: unknown } | null | undefined)?.error;
  if (typeof error === "string") return { reason: error };
  if (typeof error !== "object" || error === null) return {};
  const {
    type,
    reason,
    caused_by: causedBy,
  } = error as { type?: unknown; reason?: unknown; caused_by?: unknown };
  const cause = causedBy as { reason?: unknown } | undefined;
  const detail = typeof cause?.reason === "string" ? ` (${cause.reason})` : "";
  return {
    ...(typeof type === "string" ? { type } : {}),
    ...(typeof reason === "string" ? { reason: `${reason}${detail}` } : {}),
  };
}

/** Wraps whatever a client threw into a VectorEngineError that says what was being done. */
export function toEngineError(engine: EngineName, action: string, error: unknown): VectorEngineError {
  if (error instanceof VectorEngineError) return error;
  const status = responseStatus(error);
  const shape = (error ?? {}) as ClientErrorShape;
  if (status === undefined) {
    const what = typeof shape.message === "string" ? shape.message : String(error);
    return new VectorEngineError(`${engine} could not be reached to ${action}: ${what}`, {
      engine,
      unavailable: true,
      cause: error,
    });
  }
  const { type, reason } = engineReason(shape.body ?? shape.meta?.body);
  return new VectorEngineError(
    `${engine} refused to ${action}: ${status}${type ? ` ${type}` : ""}${reason ? `: ${reason}` : ""}`,
    {
      engine,
      status,
      ...(type !== undefined ? { type } : {}),
      unavailable: status === 429 || status >= 500,
      cause: error,
    },
  );
}
