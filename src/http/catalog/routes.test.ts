import { afterEach, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../../../test/support/test-app.js";
import type { CatalogStatus, ScanReport } from "../api-types.js";
import { catalogRoutes, type CatalogRoutesDeps } from "./routes.js";

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

const object: CatalogStatus["items"][number] = {
  id: 7,
  source: null,
  key: "songs/a.csv",
  status: "processing",
  size: 2048,
  progress: 0.5,
  songs: 12,
  passages: 80,
  reusedPassages: 30,
  skipped: 1,
  errors: 1,
  changed: 0,
  removed: 0,
  songsPerSecond: 3.5,
  error: null,
  rowErrors: [{ line: 4, reason: "no title", kind: "skipped" }],
  queuedAt: "2026-12-01T12:00:00.000Z",
  startedAt: "2026-12-01T12:00:01.000Z",
  finishedAt: null,
  durationMs: null,
};

const report: ScanReport = { listed: 3, queued: 1, requeued: 1, removed: 1 };

/** A catalog that answers a page of one object (and no queue figures) and records what it was asked. */
function fakeCatalog() {
  const asked: Parameters<CatalogRoutesDeps["status"]>[0][] = [];
  let scans = 0;
  const catalog: CatalogRoutesDeps = {
    async status(query) {
      asked.push(query);
      return {
        catalogVersion: 9,
        songs: 12,
        songsWithPassages: 11,
        passages: 80,
        objects: { queued: 0, processing: 1, done: 0, failed: 0 },
        queue: null,
        items: [object],
        nextCursor: "after-7",
      };
    },
    async scan() {
      scans += 1;
      return report;
    },
  };
  return { catalog, asked, scans: () => scans };
}

/** The routes over a fake catalog, with root (an administrator) and bob signed up. */
async function serving() {
  const fake = fakeCatalog();
  t = await buildTestApp({ otherRoutes: [catalogRoutes(fake.catalog)] });
  const root = await t.register("root");
  const bob = await t.register("bob");
  await t.grantAdmin("root");
  return { ...fake, root, bob };
}

describe("GET /api/catalog/status", () => {
  it("answers the catalog's page whole, null queue and source included, to anyone", async () => {
    const fake = await serving();
    const reply = await t.call("GET", "/api/catalog/status");
    expect(reply.status).toBe(200);
    expect(reply.body.queue).toBeNull();
    expect(reply.body.items).toEqual([object]);
    expect(reply.body.nextCursor).toBe("after-7");
    expect(fake.asked).toEqual([{ limit: 20, admin: false }]);
  });

  it("passes the cursor and limit on, and tells the catalog whether an administrator asks", async () => {
    const { root, bob, ...fake } = await serving();
    await t.call("GET", "/api/catalog/status?cursor=after-7&limit=5", { token: bob.token });
    await t.call("GET", "/api/catalog/status?limit=50", { token: root.token });
    expect(fake.asked).toEqual([
      { cursor: "after-7", limit: 5, admin: false },
      { limit: 50, admin: true },
    ]);
  });

  it("refuses a limit out of bounds before asking the catalog", async () => {
    const fake = await serving();
    for (const limit of ["0", "51", "Infinity", "ten"]) {
      const reply = await t.call("GET", `/api/catalog/status?limit=${limit}`);
      expect([reply.status, reply.body.error.code], limit).toEqual([400, "VALIDATION_FAILED"]);
    }
    expect(fake.asked).toEqual([]);
  });
});

describe("POST /api/catalog/scan", () => {
  it("scans for an administrator only: 401 anonymous, 403 for others", async () => {
    const { root, bob, ...fake } = await serving();

    const anonymous = await t.call("POST", "/api/catalog/scan");
    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, "AUTH_REQUIRED"]);
    const notAdmin = await t.call("POST", "/api/catalog/scan", { token: bob.token });
    expect([notAdmin.status, notAdmin.body.error.code]).toEqual([403, "ADMIN_ONLY"]);
    expect(fake.scans()).toBe(0);

    const scanned = await t.call("POST", "/api/catalog/scan", { token: root.token });
    expect([scanned.status, scanned.body]).toEqual([202, report]);
    expect(fake.scans()).toBe(1);
  });
});
