import type { ErrorCode } from "./types.js";

/** What went wrong with a call when the server answered nothing at all. */
export type TransportCode = "NETWORK" | "OFFLINE" | "BAD_RESPONSE";

/**
 * A failed API call: the server's stable code when it answered with one, else a transport code
 * or `HTTP_<status>` for an answer that is not the API's error shape (a proxy's 502, say).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | TransportCode | `HTTP_${number}`;
  /** Seconds to wait before trying again, from `Retry-After`. */
  readonly retryAfterSeconds: number | null;
  /** Where what was asked for went (a renamed person: `{"movedTo": "new-name"}` with a 301). */
  readonly movedTo: string | null;

  constructor(
    status: number,
    code: ApiError["code"],
    message: string,
    retryAfterSeconds: number | null = null,
    movedTo: string | null = null,
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
    this.movedTo = movedTo;
  }

  /** Worth trying again by itself: the network, a server error, a busy server. */
  get isTransient(): boolean {
    return this.status === 0 || this.status >= 500;
  }

  /**
   * Whether asking again may give another answer: after a failure of the network or the server,
   * or a wait (429, 408); a refusal of what was asked (not found, invalid) stays a refusal.
   */
  get isRetryable(): boolean {
    return this.isTransient || this.status === 429 || this.status === 408;
  }
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;

export const hasCode = (error: unknown, ...codes: ApiError["code"][]): boolean =>
  isApiError(error) && codes.includes(error.code);
