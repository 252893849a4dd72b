/**
 * Secrets Verso must give back as they were (a person's password on the music server, which the
 * Subsonic API signs each request with), kept sealed: AES-256-GCM under a key that is not in
 * the database, bound to what they belong to (the associated data), so a copied database, or a
 * value moved to another person's row, opens nothing.
 *
 * The key comes from VERSO_SECRET_KEY (the same on every process of an installation), else from
 * a file made once in the data folder (one process, or processes that share that folder).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface SealedBox {
  /** The secret sealed for this context: "v1." and base64url of nonce, tag and ciphertext. */
  seal(secret: string, context: string): string;
  /** The secret, or null when it was sealed under another key or context, or was altered. */
  open(sealed: string, context: string): string | null;
}

const VERSION = "v1.";
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export function createSealedBox(key: Buffer): SealedBox {
  if (key.length !== KEY_BYTES) throw new Error(`a sealing key has ${KEY_BYTES} bytes, not ${key.length}`);
  return {
    seal(secret, context) {
      const nonce = crypto.randomBytes(NONCE_BYTES);
      const cipher = crypto.createCipheriv("aes-256-gcm", key, nonce);
      cipher.setAAD(Buffer.from(context, "utf8"));
      const body = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
      return VERSION + Buffer.concat([nonce, cipher.getAuthTag(), body]).toString("base64url");
    },
    open(sealed, context) {
      if (!sealed.startsWith(VERSION)) return null;
      const bytes = Buffer.from(sealed.slice(VERSION.length), "base64url");
      if (bytes.length < NONCE_BYTES + TAG_BYTES) return null;
      try {
        const decipher = crypto.createDecipheriv("aes-256-gcm", key, bytes.subarray(0, NONCE_BYTES));
        decipher.setAAD(Buffer.from(context, "utf8"));
        decipher.setAuthTag(bytes.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
        return Buffer.concat([
          decipher.update(bytes.subarray(NONCE_BYTES + TAG_BYTES)),
          decipher.final(),
        ]).toString("utf8");
      } catch {
        return null;
      }
    },
  };
}

/**
 * The installation's sealing key: derived from the secret setting when there is one, else read
 * from (or, the first time, written to) `secret.key` in the data folder, readable by its owner only.
 */
export function sealingKey(options: { secret: string | undefined; dataDir: string }): Buffer {
  if (options.secret !== undefined) {
    return Buffer.from(crypto.hkdfSync("sha256", options.secret, "verso", "sealed secrets", KEY_BYTES));
  }
  const file = path.join(options.dataDir, "secret.key");
  try {
    fs.mkdirSync(options.dataDir, { recursive: true });
    // "wx": of two processes starting at once, one writes the key and the other reads it.
    fs.writeFileSync(file, crypto.randomBytes(KEY_BYTES), { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const key = fs.readFileSync(file);
  if (key.length !== KEY_BYTES) {
    throw new Error(
      `${file} holds ${key.length} bytes, not a ${KEY_BYTES}-byte key: remove it or set VERSO_SECRET_KEY`,
    );
  }
  return key;
}
