/**
 * The Memcached adapter against the machine's Memcached (test/support/servers.ts), every test in
 * a key prefix of its own; alone and behind the fallback every remote cache goes through.
 */
import { randomBytes } from "node:crypto";
import memjs from "memjs";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  createMemcachedCache,
  memcachedExpiry,
  memcachedKey,
  parseMemcachedUrl,
} from "../../src/adapters/cache/memcached.js";
import { withFallback, type CacheOperation } from "../../src/adapters/cache/resilient.js";
import { freePort } from "../support/private-server.js";
import { testServers, uniqueName } from "../support/servers.js";
import { describeCacheContract } from "./cache.contract.js";

const freshPrefix = () => `${uniqueName("verso_test")}:`;

describeCacheContract("Memcached", async () =>
  createMemcachedCache({ url: testServers.memcached, keyPrefix: freshPrefix() }),
);

const unavailable: CacheOperation[] = [];
describeCacheContract("Memcached behind the fallback", async () =>
  withFallback(createMemcachedCache({ url: testServers.memcached, keyPrefix: freshPrefix() }), {
    // Generous: on a busy machine a slow answer must not pass for a missing server here.
    timeoutMs: 10_000,
    onUnavailable: (operation) => unavailable.push(operation),
  }),
);
afterAll(() => expect(unavailable).toEqual([]));

/** A plain memjs client on the shared server, to see what the adapter really stored. */
const [shared] = parseMemcachedUrl(testServers.memcached);
const raw = memjs.Client.create(`${shared!.host}:${shared!.port}`, { logger: { log: () => {} } });
afterAll(() => raw.close());

describe("Memcached keys", () => {
  const prefix = "p:";

  it("keeps a short key of printable ASCII as it is, readable on the server", () => {
    expect(memcachedKey(prefix, "ask:12:Zm9vYmFy-_")).toBe("p:ask:12:Zm9vYmFy-_");
    expect(memcachedKey(prefix, "x".repeat(248))).toBe(`p:${"x".repeat(248)}`);
  });

  it("hashes a key that is too long or has spaces, control characters or non-ASCII, within 250 bytes", () => {
    for (const key of ["x".repeat(249), "a b", "a\nb", "\u0000", "ключ", "", `${"y".repeat(5000)}`]) {
      const stored = memcachedKey(prefix, key);
      expect(stored).toMatch(/^p:#[A-Za-z0-9_-]{43}$/);
      expect(Buffer.byteLength(stored)).toBeLessThanOrEqual(250);
    }
  });

  it("never lets a readable key meet a hashed one", () => {
    const long = "z".repeat(300);
    const hashed = memcachedKey(prefix, long);
    const lookalike = hashed.slice(prefix.length);
    expect(memcachedKey(prefix, lookalike)).not.toBe(hashed);
  });

  it("tells keys apart that only lone surrogates distinguish", () => {
    expect(memcachedKey(prefix, "a\ud800")).not.toBe(memcachedKey(prefix, "a\udc00"));
  });
});

describe("Memcached expiry", () => {
  const now = Date.UTC(2030, 0, 1);

  it("sends a TTL of up to 30 days as seconds, and a longer one as a Unix time", () => {
    expect(memcachedExpiry(1500, now)).toBe(2);
    expect(memcachedExpiry(30 * 86_400_000, now)).toBe(30 * 86_400);
    expect(memcachedExpiry(40 * 86_400_000, now)).toBe(now / 1000 + 40 * 86_400);
  });
});

describe("Memcached URLs", () => {
  it("reads one or several servers, with default port, IPv6 and credentials", () => {
    expect(parseMemcachedUrl("memcached://cache-1:11212,cache-2")).toEqual([
      { host: "cache-1", port: 11212 },
      { host: "cache-2", port: 11211 },
    ]);
    expect(parseMemcachedUrl("memcached://[::1]:11300/")).toEqual([{ host: "::1", port: 11300 }]);
    expect(parseMemcachedUrl("memcached://app:p%40ss@cache:11211")).toEqual([
      { host: "cache", port: 11211, username: "app", password: "p@ss" },
    ]);
  });

  it("rejects what is not a memcached URL with VALIDATION_FAILED, never repeating the password", () => {
    for (const url of [
      "redis://cache:6379",
      "memcached://",
      "memcached://app:hunter2@cache:99999",
      "memcached://app:hunter2@cache:11211/db",
      "memcached://app:hunter2@ca che:11211",
      "memcached://app:hunter2%zz@cache:11211",
      "memcached://cache:11211,,other",
    ]) {
      let error: unknown;
      try {
        parseMemcachedUrl(url);
      } catch (caught) {
        error = caught;
      }
      expect(error, url).toMatchObject({ code: "VALIDATION_FAILED" });
      expect(String((error as Error).message)).not.toContain("hunter2");
    }
  });

  it("rejects a key prefix Memcached cannot take", () => {
    expect(() => createMemcachedCache({ url: testServers.memcached, keyPrefix: "has space:" })).toThrow(
      expect.objectContaining({ code: "VALIDATION_FAILED" }),
    );
  });
});

describe("Memcached storage", () => {
  const caches: { close(): Promise<void> }[] = [];
  const open = (options: { maxValueBytes?: number } = {}) => {
    const keyPrefix = freshPrefix();
    const cache = createMemcachedCache({ url: testServers.memcached, keyPrefix, ...options });
    caches.push(cache);
    return { cache, keyPrefix };
  };
  afterEach(async () => {
    await Promise.all(caches.splice(0).map((cache) => cache.close()));
  });

  it("stores a small value as its plain text, and a large one compressed", async () => {
    const { cache, keyPrefix } = open();
    await cache.set("small", '{"results":[]}', 60);
    expect((await raw.get(`${keyPrefix}small`)).value?.toString()).toBe('{"results":[]}');
    const large = "the same chorus again and again\n".repeat(20_000);
    await cache.set("large", large, 60);
    const stored = (await raw.get(`${keyPrefix}large`)).value!;
    expect(stored.length).toBeLessThan(large.length / 20);
    expect(await cache.get("large")).toBe(large);
  });

  it("does not cache a value still above the item size after compression, and drops the older one", async () => {
    const { cache } = open();
    const noise = randomBytes(1536 * 1024).toString("base64"); // above 1 MiB even compressed
    await cache.set("big", "older", 60);
    await cache.set("big", noise, 60);
    expect(await cache.get("big")).toBeUndefined();
  });

  it("takes the server's refusal of an item too large the same way, when the adapter's limit is above the server's", async () => {
    const { cache } = open({ maxValueBytes: 64 * 1024 * 1024 });
    const noise = randomBytes(2 * 1024 * 1024).toString("base64");
    await cache.set("big", "older", 60);
    await cache.set("big", noise, 60);
    expect(await cache.get("big")).toBeUndefined();
    await cache.set("big", "small again", 60);
    expect(await cache.get("big")).toBe("small again");
  });

  it("answers DEPENDENCY_UNAVAILABLE when no server listens, quickly and without the password", async () => {
    const port = await freePort();
    const cache = createMemcachedCache({
      url: `memcached://app:hunter2@127.0.0.1:${port}`,
      keyPrefix: freshPrefix(),
    });
    caches.push(cache);
    for (const call of [
      () => cache.get("k"),
      () => cache.set("k", "v", 60),
      () => cache.increment("k", 60),
    ]) {
      const started = Date.now();
      const error = await call().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({ code: "DEPENDENCY_UNAVAILABLE" });
      expect((error as Error).message).not.toContain("hunter2");
      expect(Date.now() - started).toBeLessThan(5000);
    }
  });
});
