/** Deterministic data for benchmarks and tests: two runs with one seed see the same numbers. */
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { normalizeInPlace } from "../src/core/vectors.js";

/** Numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  const generator = xoroshiro128plus(seed);
  return () => uniformFloat64(generator);
}

/** Fills `out` with independent normal values of standard deviation `scale` (Box–Muller). */
export function fillGaussian(random: () => number, out: Float32Array, scale = 1): Float32Array {
  for (let i = 0; i < out.length; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - random())) * scale;
    const angle = 2 * Math.PI * random();
    out[i] = radius * Math.cos(angle);
    if (i + 1 < out.length) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}

/** A direction drawn uniformly on the unit sphere (Gaussian components, normalized). */
export function randomUnitVector(dimension: number, random: () => number): Float32Array {
  return normalizeInPlace(fillGaussian(random, new Float32Array(dimension)))!;
}
