/** Vectors are stored as little-endian float32 bytes: compact and identical in every dialect. */
import os from "node:os";

const littleEndian = os.endianness() === "LE";

export function encodeVector(vector: Float32Array): Uint8Array {
  if (littleEndian)
    return new Uint8Array(vector.buffer.slice(vector.byteOffset, vector.byteOffset + vector.byteLength));
  const bytes = new Uint8Array(vector.length * 4);
  const view = new DataView(bytes.buffer);
  vector.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return bytes;
}

export function decodeVector(bytes: Uint8Array): Float32Array {
  if (littleEndian) {
    // Copy: the driver's buffer may be a slice of a shared pool, and may not be 4-byte aligned.
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    return new Float32Array(copy.buffer);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length: bytes.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
}
