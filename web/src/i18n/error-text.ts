/**
 * What to tell a person about a failed call, in their language. The server's own message is
 * English and meant for developers; the stable code picks the sentence here.
 */
import type { TFunction } from "i18next";
import { isApiError } from "../api/errors.js";
import { formatWait } from "./format.js";

export function errorText(t: TFunction, error: unknown): string {
  if (!isApiError(error)) return t("errors.unexpected");
  const wait = error.retryAfterSeconds;
  switch (error.code) {
    case "NETWORK":
      return t("errors.network");
    case "OFFLINE":
      return t("errors.offline");
    case "RATE_LIMITED":
      return wait === null ? t("errors.rateLimited") : t("errors.rateLimitedFor", { wait: formatWait(wait) });
    case "AUTH_BUSY":
      return t("errors.authBusy");
    case "USERNAME_TAKEN":
      return t("errors.usernameTaken");
    case "USERNAME_INVALID":
      return t("errors.usernameInvalid");
    case "USERNAME_RESERVED":
      return t("errors.usernameReserved");
    case "PASSWORD_TOO_SHORT":
      return t("errors.passwordTooShort");
    case "PASSWORD_TOO_LONG":
      return t("errors.passwordTooLong");
    case "PASSWORD_TOO_COMMON":
      return t("errors.passwordTooCommon");
    case "PASSWORD_MATCHES_USERNAME":
      return t("errors.passwordMatchesUsername");
    case "INVALID_CREDENTIALS":
      return t("errors.invalidCredentials");
    case "WRONG_PASSWORD":
      return t("errors.wrongPassword");
    case "CURRENT_PASSWORD_REQUIRED":
      return t("errors.currentPasswordRequired");
    case "AUTH_REQUIRED":
      return t("errors.authRequired");
    case "DISPLAY_NAME_INVALID":
      return t("errors.displayNameInvalid");
    case "BIO_TOO_LONG":
      return t("errors.bioTooLong");
    case "PROMPT_EMPTY":
      return t("errors.promptEmpty");
    case "PROMPT_TOO_LONG":
      return t("errors.promptTooLong");
    case "PROMPT_NOT_FOUND":
      return t("errors.promptNotFound");
    case "USER_NOT_FOUND":
      return t("errors.userNotFound");
    case "SONG_NOT_FOUND":
      return t("errors.songNotFound");
    case "PASSAGE_NOT_FOUND":
      return t("errors.passageNotFound");
    case "NOT_OWNER":
      return t("errors.notOwner");
    case "ADMIN_ONLY":
      return t("errors.adminOnly");
    case "CATALOG_NOT_READY":
      return t("errors.catalogNotReady");
    case "DEPENDENCY_UNAVAILABLE":
      return t("errors.unavailable");
    case "MUSIC_SERVER_ACCOUNT_REFUSED":
      return t("errors.musicServerRefused");
    case "MUSIC_SERVER_ACCOUNT_MISSING":
      return t("errors.musicServerAccountMissing");
    case "NO_MUSIC_SERVER":
      return t("errors.noMusicServer");
    case "PLAYLIST_EMPTY":
      return t("errors.playlistEmpty");
  }
  if (error.status >= 500 || error.status === 0) return t("errors.server");
  return t("errors.request", { message: error.message });
}

/** Which form field an error belongs to, so it is shown (and announced) next to it. */
export function errorField(error: unknown): "username" | "password" | null {
  if (!isApiError(error)) return null;
  switch (error.code) {
    case "USERNAME_TAKEN":
    case "USERNAME_INVALID":
    case "USERNAME_RESERVED":
      return "username";
    case "PASSWORD_TOO_SHORT":
    case "PASSWORD_TOO_LONG":
    case "PASSWORD_TOO_COMMON":
    case "PASSWORD_MATCHES_USERNAME":
    case "WRONG_PASSWORD":
      return "password";
    default:
      return null;
  }
}
