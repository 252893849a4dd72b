/**
 * The Redis adapter against the machine's Redis (test/support/servers.ts), every test in a key
 * prefix of its own; alone and behind the fallback every remote cache goes through. A private
 * server with a password shows that credentials never reach an error.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createRedisCache, parseRedisUrl } from "../../src/adapters/cache/redis.js";
import { withFallback, type CacheOperation } from "../../src/adapters/cache/resilient.js";
import { describeCacheUrl } from "../../src/adapters/cache/open-cache.js";
import type { Cache } from "../../src/core/ports.js";
import { freePort, privateServer, type PrivateServer } from "../support/private-server.js";
import { testServers, uniqueName } from "../support/servers.js";
import { describeCacheContract } from "./cache.contract.js";

const freshPrefix = () => `${uniqueName("verso_test")}:`;

describeCacheContract("Redis", async () =>
  createRedisCache({ url: testServers.redis, keyPrefix: freshPrefix() }),
);

const unavailable: CacheOperation[] = [];
describeCacheContract("Redis behind the fallback", async () =>
  withFallback(createRedisCache({ url: testServers.redis, keyPrefix: freshPrefix() }), {
    // Generous: on a busy machine a slow answer must not pass for a missing server here.
    timeoutMs: 10_000,
    onUnavailable: (operation) => unavailable.push(operation),
  }),
);
afterAll(() => expect(unavailable).toEqual([]));

/** A plain ioredis client on the shared server, to see what the adapter really stored. */
const raw = new Redis(testServers.redis, { lazyConnect: true });
afterAll(() => raw.quit());

describe("Redis URLs", () => {
  it("reads host, port, database, credentials and TLS", () => {
    expect(parseRedisUrl("redis://cache")).toEqual({ host: "cache", port: 6379, db: 0, tls: false });
    expect(parseRedisUrl("rediss://app:p%40ss@cache.example:6380/3")).toEqual({
      host: "cache.example",
      port: 6380,
      db: 3,
      tls: true,
      username: "app",
      password: "p@ss",
    });
    expect(parseRedisUrl("redis://:secret@[::1]:6379/")).toMatchObject({ host: "::1", password: "secret" });
  });

  it("rejects what is not a redis URL with VALIDATION_FAILED, never repeating the password", () => {
    for (const url of [
      "memcached://cache:11211",
      "redis://",
      "redis://:hunter2@cache:6379/db",
      "redis://:hunter2@cache:6379/0?tls=true",
      "redis://:hunter2%zz@cache:6379",
      "not a url hunter2",
    ]) {
      let error: unknown;
      try {
        parseRedisUrl(url);
      } catch (caught) {
        error = caught;
      }
      expect(error, url).toMatchObject({ code: "VALIDATION_FAILED" });
      expect(String((error as Error).message)).not.toContain("hunter2");
    }
  });

  it("describes a URL for logs without its password", () => {
    expect(describeCacheUrl("redis://app:hunter2@cache:6380/2")).toBe("redis://app:***@cache:6380/2");
    expect(describeCacheUrl("memcached://app:hunter2@a,b:11212")).toBe("memcached://app:***@a:11211,b:11212");
    expect(describeCacheUrl("redis://:hunter2@cache:notaport")).not.toContain("hunter2");
  });
});

describe("Redis storage", () => {
  const caches: Cache[] = [];
  const open = (options: { maxValueBytes?: number; keyPrefix?: string } = {}) => {
    const keyPrefix = options.keyPrefix ?? freshPrefix();
    const cache = createRedisCache({
      url: testServers.redis,
      keyPrefix,
      maxValueBytes: options.maxValueBytes,
    });
    caches.push(cache);
    return { cache, keyPrefix };
  };
  afterEach(async () => {
    await Promise.all(caches.splice(0).map((cache) => cache.close()));
  });

  it("keeps two key prefixes apart on one server", async () => {
    const one = open();
    const two = open();
    await one.cache.set("same", "one", 60);
    await two.cache.set("same", "two", 60);
    expect(await one.cache.get("same")).toBe("one");
    expect(await two.cache.get("same")).toBe("two");
    expect(await one.cache.increment("count", 60)).toBe(1);
    expect(await two.cache.increment("count", 60)).toBe(1);
    expect(await raw.get(`${one.keyPrefix}same`)).toBe("one");
  });

  it("stores a small value as its plain text, and a large one compressed", async () => {
    const { cache, keyPrefix } = open();
    await cache.set("small", '{"results":[]}', 60);
    expect(await raw.get(`${keyPrefix}small`)).toBe('{"results":[]}');
    const large = "the same chorus again and again\n".repeat(20_000);
    await cache.set("large", large, 60);
    expect(await raw.strlen(`${keyPrefix}large`)).toBeLessThan(large.length / 20);
  });

  it("sets a counter's expiry when it is created and leaves it alone after", async () => {
    const { cache, keyPrefix } = open();
    await cache.increment("window", 40 * 24 * 60 * 60);
    const first = await raw.pttl(`${keyPrefix}window`);
    expect(first).toBeGreaterThan(39 * 24 * 60 * 60 * 1000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await cache.increment("window", 40 * 24 * 60 * 60);
    expect(await raw.pttl(`${keyPrefix}window`)).toBeLessThan(first);
  });

  it("does not cache a value above its limit after compression, and drops the older one", async () => {
    const { cache } = open({ maxValueBytes: 256 * 1024 });
    await cache.set("big", "older", 60);
    await cache.set("big", randomBytes(300 * 1024).toString("base64"), 60);
    expect(await cache.get("big")).toBeUndefined();
  });
});

describe("Redis credentials", () => {
  let server: PrivateServer;
  beforeAll(async () => {
    server = await privateServer("redis", { args: ["--requirepass", "right-password"] });
    await server.start();
  });
  afterAll(() => server.kill());

  it("works with the right password", async () => {
    const cache = createRedisCache({ url: `redis://:right-password@127.0.0.1:${server.port}` });
    try {
      await cache.set("k", "v", 60);
      expect(await cache.get("k")).toBe("v");
    } finally {
      await cache.close();
    }
  });

  it("never shows a wrong password in an error, nor in the fallback's reasons", async () => {
    const url = `redis://app:hunter2-wrong@127.0.0.1:${server.port}`;
    const cache = createRedisCache({ url });
    const error = await cache.get("k").then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: "DEPENDENCY_UNAVAILABLE" });
    expect(JSON.stringify(error) + String(error) + String((error as Error).stack)).not.toContain("hunter2");
    expect((error as Error).cause).toBeUndefined();
    await cache.close();

    const reasons: string[] = [];
    const wrapped = withFallback(createRedisCache({ url }), {
      failureThreshold: 1,
      onStateChange: (change) => reasons.push(change.reason),
    });
    expect(await wrapped.get("k")).toBeUndefined();
    await wrapped.close();
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).not.toContain("hunter2");
  });

  it("answers DEPENDENCY_UNAVAILABLE at once when no server listens", async () => {
    const cache = createRedisCache({ url: `redis://:hunter2@127.0.0.1:${await freePort()}` });
    try {
      const started = Date.now();
      await expect(cache.increment("k", 60)).rejects.toMatchObject({ code: "DEPENDENCY_UNAVAILABLE" });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await cache.close();
    }
  });
});
