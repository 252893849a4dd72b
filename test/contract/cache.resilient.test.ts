/**
 * Remote caches behind the fallback, against servers of the test's own that are killed with
 * SIGKILL, frozen with SIGSTOP, or not there at all: every operation still succeeds and returns
 * within the timeout plus slack for a busy machine (a bound on hanging, not a speed benchmark);
 * the circuit stops asking a dead server; and once the server is back, values reach it again.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createMemcachedCache } from "../../src/adapters/cache/memcached.js";
import { openCache } from "../../src/adapters/cache/open-cache.js";
import { createRedisCache } from "../../src/adapters/cache/redis.js";
import {
  withFallback,
  type CacheOperation,
  type ResilientCache,
} from "../../src/adapters/cache/resilient.js";
import type { Cache } from "../../src/core/ports.js";
import {
  freePort,
  privateServer,
  type PrivateServer,
  type PrivateServerKind,
} from "../support/private-server.js";
import { uniqueName } from "../support/servers.js";

const TIMEOUT_MS = 200;
/** Far above any answer the fallback gives, far below what waiting for a reconnect would take. */
const BOUND_MS = TIMEOUT_MS + 800;
const COOLDOWN_MS = 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const adapters: Record<PrivateServerKind, (url: string, keyPrefix: string) => Cache> = {
  memcached: (url, keyPrefix) => createMemcachedCache({ url, keyPrefix }),
  redis: (url, keyPrefix) => createRedisCache({ url, keyPrefix }),
};

/** The remote as it is, counting the calls that reach it. */
function counted(remote: Cache) {
  const calls = { count: 0 };
  const count =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    (...args: A) => {
      calls.count += 1;
      return call(...args);
    };
  const cache: Cache = {
    get: count(remote.get),
    set: count(remote.set),
    delete: count(remote.delete),
    increment: count(remote.increment),
    close: () => remote.close(),
  };
  return { cache, calls };
}

/** Runs operations, recording every failure and the slowest answer. */
function recorder() {
  const failures: unknown[] = [];
  let slowestMs = 0;
  return {
    failures,
    slowest: () => slowestMs,
    async run<T>(operation: () => Promise<T>): Promise<T | undefined> {
      const started = performance.now();
      try {
        return await operation();
      } catch (error) {
        failures.push(error);
        return undefined;
      } finally {
        slowestMs = Math.max(slowestMs, performance.now() - started);
      }
    },
  };
}

async function untilClosed(cache: ResilientCache, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  while (cache.circuitState() !== "closed") {
    if (Date.now() > until) throw new Error("the cache did not come back in time");
    await cache.get("probe");
    await sleep(100);
  }
}

describe.each(["memcached", "redis"] as const)(
  "%s behind the fallback, on a server of the test's own",
  (kind) => {
    const cleanup: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const step of cleanup.splice(0).reverse()) await step();
    });

    async function setup(server: PrivateServer) {
      const keyPrefix = `${uniqueName("verso_test")}:`;
      const unavailable: CacheOperation[] = [];
      const states: string[] = [];
      const remote = counted(adapters[kind](server.url, keyPrefix));
      const cache = withFallback(remote.cache, {
        timeoutMs: TIMEOUT_MS,
        cooldownMs: COOLDOWN_MS,
        onUnavailable: (operation) => unavailable.push(operation),
        onStateChange: (change) => states.push(change.state),
      });
      cleanup.push(() => cache.close());
      /** What the server holds, read by a cache of its own that no fallback stands in for. */
      const onServer = async (key: string) => {
        const direct = adapters[kind](server.url, keyPrefix);
        try {
          return await direct.get(key);
        } finally {
          await direct.close();
        }
      };
      return { cache, remoteCalls: remote.calls, unavailable, states, onServer };
    }

    async function startedServer(port?: number) {
      const server = await privateServer(kind, { port });
      await server.start();
      cleanup.push(() => server.kill());
      return server;
    }

    it("keeps answering through a SIGKILL midway, counts in process meanwhile, and stores on the server again after its restart", async () => {
      const server = await startedServer();
      const { cache, remoteCalls, unavailable, states, onServer } = await setup(server);
      await cache.set("warm", "up", 60);
      expect(await cache.get("warm")).toBe("up");
      expect(unavailable).toEqual([]);

      const record = recorder();
      const rounds = 120;
      const killRound = 40;
      const countsAfterKill: number[] = [];
      let callsAtKill = 0;
      for (let round = 0; round < rounds; round++) {
        if (round === killRound) {
          await server.kill("SIGKILL");
          callsAtKill = remoteCalls.count;
        }
        const [, , count] = await Promise.all([
          record.run(() => cache.set(`song:${round}`, `answer ${round}`, 60)),
          record.run(() => cache.get(`song:${round - 1}`)),
          record.run(() => cache.increment("ratelimit:login", 600)),
          record.run(() => cache.delete(`song:${round - 2}`)),
        ]);
        if (round >= killRound) countsAfterKill.push(count!);
        await sleep(10);
      }

      expect(record.failures).toEqual([]);
      expect(record.slowest()).toBeLessThan(BOUND_MS);
      expect(unavailable.length).toBeGreaterThan(0);
      expect(states).toEqual(["open"]);
      // The rate limit held in process: one count per attempt, from 1, none lost.
      expect(countsAfterKill).toEqual(Array.from({ length: rounds - killRound }, (_, i) => i + 1));
      // The circuit spared the dead server almost all of the operations of the outage.
      const outageOperations = (rounds - killRound) * 4;
      expect(remoteCalls.count - callsAtKill).toBeLessThan(outageOperations / 10);

      await server.start();
      await untilClosed(cache);
      expect(states).toEqual(["open", "closed"]);
      await cache.set("after", "restart", 60);
      expect(await cache.get("after")).toBe("restart");
      expect(await onServer("after")).toBe("restart");
    });

    it("answers within the timeout while the server is frozen, and uses it again when it runs", async () => {
      const server = await startedServer();
      const { cache, unavailable, onServer } = await setup(server);
      await cache.set("warm", "up", 60);

      server.freeze();
      const record = recorder();
      for (let round = 0; round < 20; round++) {
        await Promise.all([
          record.run(() => cache.get("warm")),
          record.run(() => cache.set(`song:${round}`, "answer", 60)),
          record.run(() => cache.increment("ratelimit:login", 600)),
        ]);
      }
      expect(record.failures).toEqual([]);
      expect(record.slowest()).toBeLessThan(BOUND_MS);
      expect(unavailable.length).toBeGreaterThan(0);

      server.thaw();
      await untilClosed(cache);
      await cache.set("thawed", "yes", 60);
      expect(await onServer("thawed")).toBe("yes");
    });

    it("works with no server at start, and uses the server once it comes", async () => {
      const port = await freePort();
      const server = await privateServer(kind, { port });
      const { cache, unavailable, onServer } = await setup(server);

      const record = recorder();
      const counts: (number | undefined)[] = [];
      for (let round = 0; round < 10; round++) {
        await record.run(() => cache.set("early", "value", 60));
        expect(await record.run(() => cache.get("early"))).toBeUndefined();
        counts.push(await record.run(() => cache.increment("ratelimit:login", 600)));
      }
      expect(record.failures).toEqual([]);
      expect(record.slowest()).toBeLessThan(BOUND_MS);
      expect(counts).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
      expect(unavailable.length).toBe(30);

      await server.start();
      cleanup.push(() => server.kill());
      await untilClosed(cache);
      await cache.set("late", "value", 60);
      expect(await onServer("late")).toBe("value");
    });

    it("comes wrapped from openCache, so a missing server costs nothing", async () => {
      const unavailable: CacheOperation[] = [];
      const cache = openCache({
        url: `${kind}://127.0.0.1:${await freePort()}`,
        keyPrefix: `${uniqueName("verso_test")}:`,
        onUnavailable: (operation) => unavailable.push(operation),
      });
      cleanup.push(() => cache.close());
      const record = recorder();
      expect(await record.run(() => cache.get("k"))).toBeUndefined();
      await record.run(() => cache.set("k", "v", 60));
      expect(await record.run(() => cache.increment("n", 60))).toBe(1);
      expect(record.failures).toEqual([]);
      expect(record.slowest()).toBeLessThan(BOUND_MS);
      expect(unavailable).toEqual(["get", "set", "increment"]);
    });
  },
);

describe("memcached with several servers", () => {
  const servers: PrivateServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.kill()));
  });

  it("spreads keys over the servers, and keeps every key working on the others when one dies", async () => {
    for (let i = 0; i < 2; i++) {
      const server = await privateServer("memcached");
      await server.start();
      servers.push(server);
    }
    const [first, second] = servers as [PrivateServer, PrivateServer];
    const keyPrefix = `${uniqueName("verso_test")}:`;
    const url = `memcached://127.0.0.1:${first.port},127.0.0.1:${second.port}`;
    const unavailable: CacheOperation[] = [];
    const cache = withFallback(createMemcachedCache({ url, keyPrefix }), {
      timeoutMs: TIMEOUT_MS,
      onUnavailable: (operation) => unavailable.push(operation),
    });
    const alone = createMemcachedCache({ url: first.url, keyPrefix });
    try {
      const keys = Array.from({ length: 40 }, (_, i) => `song:${i}`);
      for (const key of keys) await cache.set(key, key, 60);
      const onFirst = (await Promise.all(keys.map((key) => alone.get(key)))).filter(Boolean).length;
      expect(onFirst).toBeGreaterThan(0);
      expect(onFirst).toBeLessThan(keys.length);

      await second.kill("SIGKILL");
      const record = recorder();
      for (const key of keys) await record.run(() => cache.set(key, `${key} again`, 60));
      const read = await Promise.all(keys.map((key) => record.run(() => cache.get(key))));
      expect(record.failures).toEqual([]);
      expect(read).toEqual(keys.map((key) => `${key} again`));
      expect(unavailable).toEqual([]);
    } finally {
      await alone.close();
      await cache.close();
    }
  });
});
