/**
 * Rules on text that every layer shares, so that a prompt, a profile, a password, a CSV cell
 * and a database parameter are judged alike.
 */

/**
 * Why no database may be given this text, or undefined when any may: PostgreSQL refuses the
 * NUL character outright, and an unpaired UTF-16 surrogate has no UTF-8 form (SQLite and
 * MariaDB would store U+FFFD in its place, so what is read back is not what was written).
 */
export function unstorableText(text: string): string | undefined {
  if (text.includes("\u0000")) return "a NUL character (U+0000)";
  if (/\p{Cs}/u.test(text)) return "an unpaired surrogate (text that is not valid Unicode)";
  return undefined;
}

/**
 * Control characters (tab and line breaks aside) and the bidirectional overrides and isolates,
 * which would let "evil" display as "live" next to other people's text.
 */
export const garblingCharacters =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Whether the text shows nothing at all: only spaces, control and format characters (zero-width ones, say). */
export const showsNothing = (text: string): boolean => !/[^\p{Z}\p{Cc}\p{Cf}\s]/u.test(text);
