/**
 * The catalogue of errors Verso reports. Every code is stable: clients and tests match on it,
 * so a code is never renamed once released. The kind decides the HTTP status in one place
 * (src/http/errors.ts); the domain never speaks HTTP.
 */
export type ErrorKind =
  | "invalid"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "too_large"
  | "unsupported"
  | "rate_limited"
  | "unavailable"
  | "internal";

export const errorCatalogue = {
  // request shape
  VALIDATION_FAILED: "invalid",
  INVALID_JSON: "invalid",
  INVALID_CURSOR: "invalid",
  BODY_TOO_LARGE: "too_large",
  UNSUPPORTED_MEDIA_TYPE: "unsupported",
  ROUTE_NOT_FOUND: "not_found",
  // search and catalog
  PROMPT_EMPTY: "invalid",
  PROMPT_TOO_LONG: "invalid",
  /** A published prompt with control characters, bidirectional overrides or broken Unicode. */
  PROMPT_INVALID: "invalid",
  SONG_NOT_FOUND: "not_found",
  PASSAGE_NOT_FOUND: "not_found",
  CATALOG_NOT_READY: "unavailable",
  OBJECT_NOT_FOUND: "not_found",
  OBJECT_CHANGED: "conflict",
  // accounts
  USERNAME_INVALID: "invalid",
  USERNAME_TAKEN: "conflict",
  PASSWORD_TOO_SHORT: "invalid",
  PASSWORD_TOO_LONG: "invalid",
  PASSWORD_TOO_COMMON: "invalid",
  /** A password with control characters or broken Unicode. */
  PASSWORD_INVALID: "invalid",
  INVALID_CREDENTIALS: "unauthenticated",
  WRONG_PASSWORD: "forbidden",
  AUTH_REQUIRED: "unauthenticated",
  RATE_LIMITED: "rate_limited",
  ADMIN_ONLY: "forbidden",
  /** A state change a page of another site made the browser send. */
  CROSS_SITE_REQUEST: "forbidden",
  USERNAME_RESERVED: "invalid",
  PASSWORD_MATCHES_USERNAME: "invalid",
  CURRENT_PASSWORD_REQUIRED: "invalid",
  DISPLAY_NAME_INVALID: "invalid",
  BIO_TOO_LONG: "invalid",
  AUTH_BUSY: "unavailable",
  // social
  USER_NOT_FOUND: "not_found",
  PROMPT_NOT_FOUND: "not_found",
  NOT_OWNER: "forbidden",
  CANNOT_FOLLOW_SELF: "invalid",
  // embedding service
  /** The embedder serves another model than the one the request names. */
  EMBEDDING_MODEL_NOT_SERVED: "not_found",
  /** A remote embedder now answers with another model or dimension than the one it started with. */
  EMBEDDING_MODEL_CHANGED: "unavailable",
  /** The embedder has more texts waiting than it accepts; try again after Retry-After. */
  EMBEDDER_BUSY: "unavailable",
  /** A remote embedder refused a request, or answered something unusable, for a reason retrying does not fix. */
  REMOTE_EMBEDDER_ERROR: "internal",
  // music library
  /** A Subsonic server refused the account (wrong user or password): retrying does not help. */
  SUBSONIC_AUTH_FAILED: "forbidden",
  /** A Subsonic server answered a request with an error, or with something that is not the API. */
  SUBSONIC_REQUEST_FAILED: "unavailable",
  /** A Subsonic server has no such song or playlist (any more). */
  SUBSONIC_NOT_FOUND: "not_found",
  // playlists
  /** The catalog does not come from a music server, so there is none to save a playlist on. */
  NO_MUSIC_SERVER: "not_found",
  /** Saving a playlist on the music server needs the person's own account there, saved first. */
  MUSIC_SERVER_ACCOUNT_MISSING: "invalid",
  /** The music server refused the person's account (a wrong user name or password): retrying does not help. */
  MUSIC_SERVER_ACCOUNT_REFUSED: "invalid",
  /** None of the answer's songs are on the music server. */
  PLAYLIST_EMPTY: "invalid",
  // infrastructure
  DEPENDENCY_UNAVAILABLE: "unavailable",
  INTERNAL: "internal",
} as const satisfies Record<string, ErrorKind>;

export type ErrorCode = keyof typeof errorCatalogue;

export class VersoError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  /** Seconds a client should wait before trying again (rate limits). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "VersoError";
    this.code = code;
    this.kind = errorCatalogue[code];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const isVersoError = (error: unknown): error is VersoError => error instanceof VersoError;
