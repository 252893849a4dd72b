/**
 * How remote caches store a string value: as its UTF-8 bytes, unchanged, unless it is large
 * enough to be worth compressing. A compressed value starts with a NUL byte and a marker; a
 * plain value that itself starts with NUL is escaped the same way, so every stored byte string
 * decodes to exactly one value. JSON and ordinary text never start with NUL, so in practice
 * small values stay byte-for-byte plain and readable with any client.
 */
import { promisify } from "node:util";
import { brotliCompress, brotliDecompress, constants } from "node:zlib";

const compress = promisify(brotliCompress);
const decompress = promisify(brotliDecompress);

const ESCAPE = 0x00;
const PLAIN = 0x70; // "p": the rest is the value's UTF-8
const BROTLI = 0x62; // "b": the rest is the value's UTF-8, brotli-compressed

export interface ValueCodecOptions {
  /** Values above this many UTF-8 bytes are compressed when that makes them smaller (default 16 KiB). */
  compressAboveBytes?: number;
  /** A stored value that would inflate beyond this is treated as absent (default 256 MiB). */
  maxDecodedBytes?: number;
}

export interface ValueCodec {
  encode(value: string): Promise<Buffer>;
  /** The value, or undefined for bytes this codec did not write (an unknown marker, corrupt data). */
  decode(stored: Buffer): Promise<string | undefined>;
}

export function createValueCodec(options: ValueCodecOptions = {}): ValueCodec {
  const compressAbove = options.compressAboveBytes ?? 16 * 1024;
  const maxDecoded = options.maxDecodedBytes ?? 256 * 1024 * 1024;

  return {
    async encode(value) {
      const bytes = Buffer.from(value, "utf8");
      if (bytes.length > compressAbove) {
        // Quality 3 of 11: on cached answers and lyrics it packs as tight as 5 at a third of the
        // time (2 MB of text in tens of milliseconds), and off the event loop.
        const packed = await compress(bytes, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: 3,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
          },
        });
        if (packed.length + 2 < bytes.length) return Buffer.concat([Buffer.from([ESCAPE, BROTLI]), packed]);
      }
      return bytes[0] === ESCAPE ? Buffer.concat([Buffer.from([ESCAPE, PLAIN]), bytes]) : bytes;
    },

    async decode(stored) {
      if (stored[0] !== ESCAPE) return stored.toString("utf8");
      if (stored[1] === PLAIN) return stored.subarray(2).toString("utf8");
      if (stored[1] !== BROTLI) return undefined;
      try {
        const bytes = await decompress(stored.subarray(2), { maxOutputLength: maxDecoded });
        return bytes.toString("utf8");
      } catch {
        return undefined;
      }
    },
  };
}
