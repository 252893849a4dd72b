/** Small vector arithmetic shared by ingest and search (vectors are L2-normalized float32). */
export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

export function norm(v: Float32Array): number {
  return Math.sqrt(dot(v, v));
}

/** Cosine similarity of two vectors of any length (0 when either is zero). */
export function cosine(a: Float32Array, b: Float32Array): number {
  const lengths = norm(a) * norm(b);
  return lengths > 0 ? dot(a, b) / lengths : 0;
}

/** Scales `v` in place to unit length; null when it is zero and so has no direction. */
export function normalizeInPlace(v: Float32Array): Float32Array | null {
  const length = norm(v);
  if (!(length > 0)) return null;
  for (let i = 0; i < v.length; i++) v[i]! /= length;
  return v;
}

/** The normalized mean: one vector that stands for several. */
export function meanVector(vectors: readonly Float32Array[]): Float32Array | null {
  const first = vectors[0];
  if (!first) return null;
  const mean = new Float32Array(first.length);
  for (const v of vectors) for (let i = 0; i < v.length; i++) mean[i]! += v[i]!;
  return normalizeInPlace(mean);
}
