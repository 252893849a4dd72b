/**
 * The shapes of the API's JSON, each derived from the TypeBox schema its route validates and
 * documents with, so a client (the web app imports this file type-only) cannot drift from the
 * server; api-types.test.ts holds them to what the services answer. Schemas that use `Type.Ref`
 * are resolved against the shared schemas by `$id`.
 */
// The schemas import constants of the domain, whose code is Node's: a client type-checks it too.
/// <reference types="node" />
import type { Static, TUnsafe } from "typebox";
import type { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../core/accounts/password-policy.js";
import type { USERNAME_MAX_LENGTH, USERNAME_MIN_LENGTH } from "../core/accounts/username.js";
import type { DEFAULT_K, MAX_K, MAX_PROMPT_LENGTH } from "../core/search/types.js";
import type { CredentialsBody, SessionSchema, SignedInSchema } from "./auth/schema.js";
import type { CatalogStatusSchema, ObjectStatusSchema, ScanReportSchema } from "./catalog/schema.js";
import type { FeedItemSchema } from "./feed/schema.js";
import type { AccountDeletionBody, PasswordChangeBody, ProfileUpdateBody } from "./me/schema.js";
import type {
  MusicServerAccountBody,
  MusicServerAccountSchema,
  ServerPlaylistBody,
  ServerPlaylistSchema,
} from "./music-server/schema.js";
import type { PromptBody, PromptSchema, PromptWithSongsSchema } from "./prompts/schema.js";
import type { ErrorResponseSchema, Paged } from "./schemas.js";
import type { AskBody, AskResponseSchema } from "./search/schema.js";
import type {
  AudioFeaturesSchema,
  PassageSchema,
  SimilarSongsSchema,
  SongHitSchema,
  SongSchema,
  SongWithLyricsSchema,
} from "./songs/schema.js";
import type {
  MovedSchema,
  ProfileSchema,
  SuggestionsSchema,
  UserRefSchema,
  UserSchema,
} from "./users/schema.js";

/**
 * The domain's bounds a client checks before asking, as literal types: a client's copy of them
 * type-checks only while it equals the server's.
 */
export interface Bounds {
  promptLength: typeof MAX_PROMPT_LENGTH;
  defaultK: typeof DEFAULT_K;
  maxK: typeof MAX_K;
  usernameMinLength: typeof USERNAME_MIN_LENGTH;
  usernameMaxLength: typeof USERNAME_MAX_LENGTH;
  passwordMinLength: typeof PASSWORD_MIN_LENGTH;
  passwordMaxLength: typeof PASSWORD_MAX_LENGTH;
}

/** The schemas registered by `$id` (src/http/app.ts), which `Type.Ref` names. */
type Shared = {
  AudioFeatures: typeof AudioFeaturesSchema;
  Song: typeof SongSchema;
  SongHit: typeof SongHitSchema;
  ErrorResponse: typeof ErrorResponseSchema;
};

export type ErrorResponse = Static<typeof ErrorResponseSchema>;
export type ErrorCode = ErrorResponse["error"]["code"];

/** Every paginated list: `nextCursor` is null on the last page. */
export type Page<Item> = Static<ReturnType<typeof Paged<TUnsafe<Item>>>>;

export type AudioFeatures = Static<typeof AudioFeaturesSchema>;
export type Song = Static<typeof SongSchema, Shared>;
export type SongHit = Static<typeof SongHitSchema, Shared>;
export type SongWithLyrics = Static<typeof SongWithLyricsSchema, Shared>;
export type SimilarSongs = Static<typeof SimilarSongsSchema, Shared>;
export type Passage = Static<typeof PassageSchema>;

export type AskRequest = Static<typeof AskBody>;
export type AskResponse = Static<typeof AskResponseSchema, Shared>;

export type Credentials = Static<typeof CredentialsBody>;
export type SignedIn = Static<typeof SignedInSchema>;
export type Session = Static<typeof SessionSchema>;
export type User = Static<typeof UserSchema>;
export type UserRef = Static<typeof UserRefSchema>;
export type Profile = Static<typeof ProfileSchema>;
/** What a username someone renamed away from answers (with a 308 to their profile). */
export type Moved = Static<typeof MovedSchema>;
export type Suggestions = Static<typeof SuggestionsSchema>;
export type ProfileUpdate = Static<typeof ProfileUpdateBody>;
export type PasswordChange = Static<typeof PasswordChangeBody>;
export type AccountDeletion = Static<typeof AccountDeletionBody>;

export type Prompt = Static<typeof PromptSchema>;
export type PromptWithSongs = Static<typeof PromptWithSongsSchema, Shared>;
export type PromptInput = Static<typeof PromptBody>;
export type FeedItem = Static<typeof FeedItemSchema>;

export type CatalogObjectStatus = Static<typeof ObjectStatusSchema>;
export type CatalogStatus = Static<typeof CatalogStatusSchema>;
export type ScanReport = Static<typeof ScanReportSchema>;

export type MusicServerAccount = Static<typeof MusicServerAccountSchema>;
export type MusicServerAccountInput = Static<typeof MusicServerAccountBody>;
export type ServerPlaylistInput = Static<typeof ServerPlaylistBody>;
export type ServerPlaylist = Static<typeof ServerPlaylistSchema>;
