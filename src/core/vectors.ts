/** Small vector arithmetic shared by ingest and search (vectors are L2-normalized float32). */
export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** The normalized mean: one vector that stands for several. */
export function meanVector(vectors: readonly Float32Array[]): Float32Array | null {
  const first = vectors[0];
  if (!first) return null;
  const mean = new Float32Array(first.length);
  for (const v of vectors) for (let i = 0; i < v.length; i++) mean[i]! += v[i]!;
  let norm = 0;
  for (let i = 0; i < mean.length; i++) norm += mean[i]! * mean[i]!;
  norm = Math.sqrt(norm);
  if (norm === 0) return null;
  for (let i = 0; i < mean.length; i++) mean[i]! /= norm;
  return mean;
}
