/**
 * The scale bench's vectors: clustered 512-d vectors (bench/vectors.ts) drawn from a generator
 * seeded by each text's hash, so the stand-in embedder and the bench give one text the same
 * vector without sharing any state, and any passage's vector can be made again from its text.
 */
import { createHash } from "node:crypto";
import type { EmbeddingModel } from "../src/core/ports.js";
import { seededRandom } from "./seeded-random.js";
import { clusteredMaker } from "./vectors.js";

export const scaleModel: EmbeddingModel = { name: "scale-bench-clustered-512", dimension: 512 };

/** About 80 passages a topic, as bench/vectors.ts's clustered set. */
export const clustersFor = (passages: number) => Math.max(1, Math.round(passages / 80));

export function textVectors(clusters: number, seed = 42): (text: string) => Float32Array {
  // The centres come from the fixed seed; each vector's cluster and noise from its text.
  let current = seededRandom(seed);
  const make = clusteredMaker(() => current(), clusters, scaleModel.dimension);
  return (text) => {
    current = seededRandom(createHash("sha256").update(text).digest().readInt32LE(0));
    return make();
  };
}
