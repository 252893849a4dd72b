import { VersoError } from "../errors.js";
import { garblingCharacters, showsNothing, unstorableText } from "../text.js";

export const DISPLAY_NAME_MAX_LENGTH = 50;
export const BIO_MAX_LENGTH = 280;

const characterCount = (text: string): number => [...text].length;

/**
 * One line (no control character, no line break) without bidirectional overrides, and, when
 * given, something that shows: a name of zero-width characters only would be an invisible one.
 */
export function parseDisplayName(raw: string): string {
  const displayName = raw.trim();
  if (
    characterCount(displayName) > DISPLAY_NAME_MAX_LENGTH ||
    /[\n\t\r]/.test(displayName) ||
    garblingCharacters.test(displayName) ||
    unstorableText(displayName) !== undefined ||
    (displayName !== "" && showsNothing(displayName))
  ) {
    throw new VersoError(
      "DISPLAY_NAME_INVALID",
      `a display name is one line of at most ${DISPLAY_NAME_MAX_LENGTH} characters`,
    );
  }
  return displayName;
}

export function parseBio(raw: string): string {
  const bio = raw.trim();
  if (characterCount(bio) > BIO_MAX_LENGTH) {
    throw new VersoError("BIO_TOO_LONG", `a bio has at most ${BIO_MAX_LENGTH} characters`);
  }
  return bio;
}
