/**
 * The shapes of the API's JSON answers, derived from the TypeBox schemas the routes validate
 * and document with, so a client (the web app imports this file type-only) cannot drift from
 * the server. Schemas that use `Type.Ref` are resolved against the shared schemas by `$id`.
 */
import type { Static } from "typebox";
import type { SignedInSchema } from "./auth/schema.js";
import type { FeedItemSchema } from "./feed/schema.js";
import type { AccountDeletionBody, PasswordChangeBody, ProfileUpdateBody } from "./me/schema.js";
import type { PromptBody, PromptSchema, PromptWithSongsSchema } from "./prompts/schema.js";
import type { ErrorResponse as ErrorResponseSchema } from "./schemas.js";
import type { AskBody, AskResponse as AskResponseSchema } from "./search/routes.js";
import type {
  AudioFeatures as AudioFeaturesSchema,
  Song as SongSchema,
  SongHit as SongHitSchema,
} from "./songs/schema.js";
import type { CredentialsBody } from "./auth/schema.js";
import type { ProfileSchema, UserRefSchema, UserSchema } from "./users/schema.js";
import type { SongWithLyrics as SongWithLyricsEntity } from "../core/catalog/song.js";
import type { ErrorCode as DomainErrorCode } from "../core/errors.js";

/** The schemas registered by `$id` (src/http/app.ts), which `Type.Ref` names. */
type Shared = {
  AudioFeatures: typeof AudioFeaturesSchema;
  Song: typeof SongSchema;
  SongHit: typeof SongHitSchema;
  ErrorResponse: typeof ErrorResponseSchema;
};

export type ErrorCode = DomainErrorCode;
export type ErrorResponse = Static<typeof ErrorResponseSchema>;

export type AudioFeatures = Static<typeof AudioFeaturesSchema>;
export type Song = Static<typeof SongSchema, Shared>;
export type SongHit = Static<typeof SongHitSchema, Shared>;
/** `GET /api/songs/:id`: the song with its lyrics (the route answers the domain's entity). */
export type SongWithLyrics = SongWithLyricsEntity;
export type SimilarSongs = { results: SongHit[] };

export type AskRequest = Static<typeof AskBody>;
export type AskResponse = Static<typeof AskResponseSchema, Shared>;

export type Credentials = Static<typeof CredentialsBody>;
export type SignedIn = Static<typeof SignedInSchema>;
export type User = Static<typeof UserSchema>;
export type UserRef = Static<typeof UserRefSchema>;
export type Profile = Static<typeof ProfileSchema>;
export type ProfileUpdate = Static<typeof ProfileUpdateBody>;
export type PasswordChange = Static<typeof PasswordChangeBody>;
export type AccountDeletion = Static<typeof AccountDeletionBody>;

export type Prompt = Static<typeof PromptSchema>;
export type PromptWithSongs = Static<typeof PromptWithSongsSchema, Shared>;
export type PromptInput = Static<typeof PromptBody>;
export type FeedItem = Static<typeof FeedItemSchema>;

/** Every paginated list: `nextCursor` is null on the last page. */
export interface Page<Item> {
  items: Item[];
  nextCursor: string | null;
}

/**
 * `GET /api/catalog/status`. Its schema is private to src/http/catalog/routes.ts, so this one
 * shape is written out here, field for field; export the schema there and derive it like the
 * others.
 */
export interface CatalogObjectStatus {
  source: string;
  key: string;
  status: "queued" | "processing" | "done" | "failed";
  size: number;
  /** Share of the object read, 0 to 1. */
  progress: number;
  songs: number;
  passages: number;
  skipped: number;
  errors: number;
  songsPerSecond: number | null;
  error: string | null;
  rowErrors: { line: number; reason: string }[];
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}

export interface CatalogStatus {
  catalogVersion: number;
  songs: number;
  songsWithPassages: number;
  passages: number;
  objects: Record<CatalogObjectStatus["status"], number>;
  queue: { ready: number; inFlight: number; dead: number };
  items: CatalogObjectStatus[];
}

export type ScanReport = { listed: number; queued: number };
