/** What every Embedder adapter checks of a call before any work, and how it cuts it into batches. */
import { VersoError } from "../../core/errors.js";
import type { EmbedPriority } from "../../core/ports.js";

/**
 * The call's priority, bulk unless asked (a caller that forgets must not crowd out people
 * waiting on prompts). Every text must say something: the model drops texts without tokens
 * and would misalign the rest.
 */
export function checkEmbedCall(texts: readonly string[], priority: EmbedPriority | undefined): EmbedPriority {
  const chosen = priority ?? "bulk";
  if (chosen !== "interactive" && chosen !== "bulk") {
    throw new VersoError("VALIDATION_FAILED", `unknown embedding priority ${JSON.stringify(chosen)}`);
  }
  if (!Array.isArray(texts)) throw new VersoError("VALIDATION_FAILED", "embed() takes an array of texts");
  const invalid = (i: number, problem: string) =>
    new VersoError("VALIDATION_FAILED", `text ${i} to embed ${problem}`);
  texts.forEach((text: unknown, i) => {
    if (typeof text !== "string") throw invalid(i, "is not a string");
    if (!/\S/.test(text)) throw invalid(i, "is empty or only whitespace");
  });
  return chosen;
}

/** Chunks of near-equal size, at most `max` each: 70 texts become 35 + 35, not 64 + 6. */
export function splitEvenly(texts: readonly string[], max: number): string[][] {
  const count = Math.ceil(texts.length / max);
  const size = Math.ceil(texts.length / count);
  const chunks: string[][] = [];
  for (let i = 0; i < texts.length; i += size) chunks.push(texts.slice(i, i + size));
  return chunks;
}
