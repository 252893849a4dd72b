/**
 * What a stored passage vector is keyed by, beside its model: the SHA-256 (hex) of the text the
 * model embedded. The same text embedded by the same model gives the same vector, so a text
 * whose hash is stored is never embedded again.
 */
import { createHash } from "node:crypto";

export const textHash = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");
