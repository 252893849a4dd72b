import { VersoError } from "../errors.js";

export const DISPLAY_NAME_MAX_LENGTH = 50;
export const BIO_MAX_LENGTH = 280;

const characterCount = (text: string): number => [...text].length;
// Control characters would break the one-line layout of a name, and bidirectional overrides
// would let "evil" display as "live" next to other people's names.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

export function parseDisplayName(raw: string): string {
  const displayName = raw.trim();
  if (characterCount(displayName) > DISPLAY_NAME_MAX_LENGTH || controlCharacters.test(displayName)) {
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
