/**
 * Never embed the same text twice: a stored passage vector is keyed, beside its model, by the
 * SHA-256 (hex) of the text the model embedded. The same text embedded by the same model gives
 * the same vector, so a text whose hash is stored takes the stored vector, and each other
 * distinct text of a batch is embedded once. Ingest and re-embedding both go through here.
 */
import { createHash } from "node:crypto";
import type { Embedder } from "../ports.js";
import type { StoredPassageVectors } from "./store.js";

export const textHash = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

/** The vectors of a batch of texts, in their order, with the texts' hashes and where the vectors came from. */
export interface ReusedVectors {
  vectors: Float32Array[];
  hashes: string[];
  /** Texts whose vector was stored, or embedded for an earlier text of the batch. */
  reused: number;
  /** Texts embedded: the distinct ones not stored. */
  computed: number;
}

/** Vectors on their way from the embedder for texts of batches not committed yet, by text hash. */
export type VectorsInFlight = Map<string, Promise<Float32Array>>;

/**
 * One lookup of the batch's distinct hashes, then one embedding request for the distinct texts
 * neither found nor on their way for an earlier batch (`inFlight`, where this batch's own go).
 */
export async function vectorsOf(
  texts: readonly string[],
  deps: { store: StoredPassageVectors; embedder: Embedder; modelId: number; inFlight?: VectorsInFlight },
): Promise<ReusedVectors> {
  const hashes = texts.map(textHash);
  if (texts.length === 0) return { vectors: [], hashes, reused: 0, computed: 0 };
  const stored = await deps.store.storedVectors(deps.modelId, [...new Set(hashes)]);
  const pending = new Map<string, Promise<Float32Array>>();
  // Each text neither stored nor on its way nor seen earlier in the batch, once, in the order it came.
  const wanted = new Map<string, string>();
  hashes.forEach((hash, i) => {
    if (stored.has(hash) || pending.has(hash) || wanted.has(hash)) return;
    const coming = deps.inFlight?.get(hash);
    if (coming) pending.set(hash, coming);
    else wanted.set(hash, texts[i]!);
  });
  const embedding =
    wanted.size > 0 ? deps.embedder.embed([...wanted.values()], { priority: "bulk" }) : Promise.resolve([]);
  [...wanted.keys()].forEach((hash, i) => {
    const vector = embedding.then((vectors) => vectors[i]!);
    // Whoever takes it awaits it; a failure is this batch's to report.
    vector.catch(() => {});
    deps.inFlight?.set(hash, vector);
  });
  const computed = await embedding;
  const fresh = new Map([...wanted.keys()].map((hash, i) => [hash, computed[i]!]));
  for (const [hash, vector] of pending) fresh.set(hash, await vector);
  const vectors = hashes.map((hash) => stored.get(hash) ?? fresh.get(hash)!);
  return { vectors, hashes, reused: texts.length - wanted.size, computed: wanted.size };
}
