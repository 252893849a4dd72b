import { VersoError } from "../errors.js";
import { garblingCharacters, showsNothing, unstorableText } from "../text.js";
import { MAX_PROMPT_LENGTH } from "../search/types.js";

/** A reference to a person small enough to repeat on every item of a list. */
export interface UserRef {
  id: number;
  username: string;
}

/** A published prompt as a given viewer sees it. */
export interface Prompt {
  id: number;
  text: string;
  author: UserRef;
  createdAt: string;
  updatedAt: string;
  likeCount: number;
  /** Always false for an anonymous viewer. */
  likedByMe: boolean;
}

const characterCount = (text: string): number => [...text].length;

/**
 * The text a prompt is published with: trimmed, 1 to MAX_PROMPT_LENGTH characters, something
 * that shows (not only zero-width or control characters), and, as display names, no control
 * character nor bidirectional override that would garble how it reads beside others' text,
 * nor text that is not valid Unicode.
 */
export function parsePromptText(raw: string): string {
  const text = raw.trim();
  if (showsNothing(text)) throw new VersoError("PROMPT_EMPTY", "a prompt needs some words");
  const broken = unstorableText(text);
  if (broken !== undefined) throw new VersoError("PROMPT_INVALID", `a prompt cannot hold ${broken}`);
  if (garblingCharacters.test(text))
    throw new VersoError(
      "PROMPT_INVALID",
      "a prompt cannot hold control characters nor right-to-left overrides; write it as plain text",
    );
  if (characterCount(text) > MAX_PROMPT_LENGTH) {
    throw new VersoError("PROMPT_TOO_LONG", `a prompt has at most ${MAX_PROMPT_LENGTH} characters`);
  }
  return text;
}
