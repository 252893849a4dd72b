import { brotliCompressSync, constants } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createValueCodec } from "./value-codec.js";

describe("cache value codec", () => {
  const codec = createValueCodec({ compressAboveBytes: 1024, maxDecodedBytes: 1024 * 1024 });

  it("stores a small value as its UTF-8 bytes, unchanged", async () => {
    const stored = await codec.encode('{"songs":["Canción"]}');
    expect(stored.toString("utf8")).toBe('{"songs":["Canción"]}');
    expect(await codec.decode(stored)).toBe('{"songs":["Canción"]}');
  });

  it("escapes a value that starts with NUL, so that it cannot pass for a compressed one", async () => {
    for (const value of ["\u0000", "\u0000b", "\u0000p", "\u0000\u0000 and more"]) {
      expect(await codec.decode(await codec.encode(value))).toBe(value);
    }
  });

  it("compresses a value above the threshold, and leaves one at the threshold plain", async () => {
    const text = "the chorus once more\n".repeat(1000);
    const packed = await codec.encode(text);
    expect(packed.length).toBeLessThan(text.length / 10);
    expect(await codec.decode(packed)).toBe(text);
    const atThreshold = "a".repeat(1024);
    expect((await codec.encode(atThreshold)).toString("utf8")).toBe(atThreshold);
  });

  it("reads bytes it did not write (an unknown marker, corrupt data, a bomb) as absent", async () => {
    expect(await codec.decode(Buffer.from([0, 0x7a, 1, 2, 3]))).toBeUndefined();
    expect(await codec.decode(Buffer.from([0, 0x62, 1, 2, 3]))).toBeUndefined();
    const bomb = brotliCompressSync(Buffer.alloc(8 * 1024 * 1024), {
      params: { [constants.BROTLI_PARAM_QUALITY]: 1 },
    });
    expect(await codec.decode(Buffer.concat([Buffer.from([0, 0x62]), bomb]))).toBeUndefined();
  });
});
