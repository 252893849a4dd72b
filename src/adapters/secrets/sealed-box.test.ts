import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { createSealedBox, sealingKey } from "./sealed-box.js";

const box = createSealedBox(crypto.randomBytes(32));

describe("a sealed box", () => {
  it("gives back what it sealed, for the same context only, and never shows it", () => {
    const secret = "pässwörd \u{1F3B5}";
    const sealed = box.seal(secret, "user 1");
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain("pässwörd");
    expect(box.open(sealed, "user 1")).toBe(secret);
    expect(box.open(sealed, "user 2")).toBeNull();
    // Two seals of one secret differ (a new nonce each time).
    expect(box.seal(secret, "user 1")).not.toBe(sealed);
  });

  it("opens nothing sealed under another key, altered, cut short or not sealed at all", () => {
    const sealed = box.seal("secret", "c");
    expect(createSealedBox(crypto.randomBytes(32)).open(sealed, "c")).toBeNull();
    const bytes = Buffer.from(sealed.slice(3), "base64url");
    bytes[bytes.length - 1]! ^= 1;
    expect(box.open(`v1.${bytes.toString("base64url")}`, "c")).toBeNull();
    expect(box.open(sealed.slice(0, 10), "c")).toBeNull();
    expect(box.open("secret", "c")).toBeNull();
  });
});

describe("the sealing key", () => {
  it("is derived from the secret setting, the same on every process", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "verso-key-"));
    const a = sealingKey({ secret: "a long shared secret of this installation", dataDir });
    expect(a).toHaveLength(32);
    expect(sealingKey({ secret: "a long shared secret of this installation", dataDir })).toEqual(a);
    expect(sealingKey({ secret: "another secret", dataDir })).not.toEqual(a);
    expect(fs.existsSync(path.join(dataDir, "secret.key"))).toBe(false);
  });

  it("without one, is made once in the data folder, for its owner only, and kept", () => {
    const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "verso-key-")), "data");
    const first = sealingKey({ secret: undefined, dataDir });
    expect(sealingKey({ secret: undefined, dataDir })).toEqual(first);
    expect(fs.statSync(path.join(dataDir, "secret.key")).mode & 0o777).toBe(0o600);
    fs.writeFileSync(path.join(dataDir, "secret.key"), "short");
    expect(() => sealingKey({ secret: undefined, dataDir })).toThrow(/not a 32-byte key/);
  });
});
