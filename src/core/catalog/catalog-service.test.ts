import { describe, expect, it } from "vitest";
import { catalogObject, T0 } from "../../../test/catalog/fakes.js";
import type { QueueStats } from "../ports.js";
import {
  CatalogService,
  PUBLIC_REASON_MAX,
  ROW_ERRORS_SHOWN,
  sanitizeReason,
  type CatalogServiceDeps,
} from "./catalog-service.js";
import type { CatalogObject, CatalogStatusStore, CatalogTotals, RowReport } from "./store.js";

const totals: CatalogTotals = {
  songs: 12,
  songsWithPassages: 10,
  passages: 40,
  objects: { queued: 1, processing: 1, done: 2, failed: 1 },
  catalogVersion: 33,
};

/** A catalog of these objects (in id order) with these bad rows, recording what it is asked. */
function memoryStatusStore(objects: CatalogObject[], rowErrors: Record<number, RowReport[]> = {}) {
  const asked: { list: unknown[]; rowErrors: [readonly number[], number][] } = { list: [], rowErrors: [] };
  const store: CatalogStatusStore = {
    totals: async () => totals,
    async listObjects(options = {}) {
      asked.list.push(options);
      const after = objects.filter((o) => options.afterId === undefined || o.id > options.afterId);
      return after.slice(0, options.limit ?? after.length);
    },
    async rowErrors(ids, limit) {
      asked.rowErrors.push([ids, limit]);
      return new Map(ids.filter((id) => rowErrors[id]).map((id) => [id, rowErrors[id]!.slice(0, limit)]));
    },
  };
  return { store, asked };
}

const queue: QueueStats = { ready: 3, inFlight: 1, dead: 0 };

function setUp(status: CatalogStatusStore, deps: Partial<CatalogServiceDeps> = {}) {
  const scans: { force: boolean }[] = [];
  const service = new CatalogService({
    status,
    queueStats: async () => queue,
    scan: async (options) => {
      scans.push(options);
      return { listed: 4, queued: 1, requeued: 0, removed: 2 };
    },
    clock: () => new Date(T0.getTime() + 10_000),
    ...deps,
  });
  return { service, scans };
}

const five = [1, 2, 3, 4, 5].map((id) => catalogObject({ id, key: `${id}.csv`, status: "done" }));

describe("the catalog status", () => {
  it("shows the totals, the queue and a page of objects, each page after the last of the one before", async () => {
    const { store, asked } = memoryStatusStore(five);
    const { service } = setUp(store);
    const first = await service.status({ limit: 2, admin: false });
    expect(first).toMatchObject({ ...totals, queue });
    expect(first.items.map((o) => o.id)).toEqual([1, 2]);
    const second = await service.status({ cursor: first.nextCursor!, limit: 2, admin: false });
    expect(second.items.map((o) => o.id)).toEqual([3, 4]);
    const last = await service.status({ cursor: second.nextCursor!, limit: 2, admin: false });
    expect(last.items.map((o) => o.id)).toEqual([5]);
    expect(last.nextCursor).toBeNull();
    // One object more than the page, to know whether another page follows.
    expect(asked.list).toEqual([{ limit: 3 }, { afterId: 2, limit: 3 }, { afterId: 4, limit: 3 }]);
  });

  it("shows the catalog while the queue's figures cannot be read", async () => {
    const { service } = setUp(memoryStatusStore(five).store, {
      queueStats: async () => {
        throw new Error("broker away");
      },
    });
    const status = await service.status({ limit: 10, admin: true });
    expect(status.queue).toBeNull();
    expect(status.items).toHaveLength(5);
  });

  it("reads the first row reports of the shown objects that have any, bad rows or changed values, in one request", async () => {
    const objects = [
      catalogObject({ id: 1, errors: 1, changed: 1 }),
      catalogObject({ id: 2, errors: 0 }),
      catalogObject({ id: 3, errors: 1 }),
      catalogObject({ id: 5, changed: 1 }),
      catalogObject({ id: 6, errors: 5 }),
    ];
    const bad = {
      1: [
        { line: 3, reason: "no title", kind: "skipped" },
        { line: 9, reason: "tempo is outside 0 to 400: left out", kind: "changed" },
      ],
      3: [{ line: 2, reason: "x", kind: "skipped" }],
      5: [{ line: 4, reason: "the same song as an earlier row of this file", kind: "changed" }],
    } satisfies Record<number, RowReport[]>;
    const { store, asked } = memoryStatusStore(objects, bad);
    const { service } = setUp(store);
    const status = await service.status({ limit: 4, admin: true });
    expect(asked.rowErrors).toEqual([[[1, 3, 5], ROW_ERRORS_SHOWN]]);
    expect(status.items.map((o) => o.rowErrors)).toEqual([bad[1], [], bad[3], bad[5]]);
    expect(status.items.map((o) => [o.errors, o.changed])).toEqual([
      [1, 1],
      [0, 0],
      [1, 0],
      [0, 1],
    ]);
  });

  it("shows a stranger no source, and reasons without paths or addresses; an administrator all", async () => {
    const object = catalogObject({
      id: 1,
      source: "s3://user:secret@songs/incoming",
      status: "failed",
      errors: 1,
      error: "cannot read /srv/verso/data/bucket/a.csv\n    at open (node:fs)",
    });
    const bad = { 1: [{ line: 4, reason: "fetch https://user:pw@host/x failed", kind: "skipped" as const }] };
    const { service } = setUp(memoryStatusStore([object], bad).store);
    const [stranger] = (await service.status({ limit: 1, admin: false })).items;
    expect(stranger).toMatchObject({
      source: null,
      error: "cannot read …/a.csv",
      rowErrors: [{ line: 4, reason: "fetch … failed", kind: "skipped" }],
    });
    const [admin] = (await service.status({ limit: 1, admin: true })).items;
    expect(admin).toMatchObject({ source: object.source, error: object.error, rowErrors: bad[1] });
  });

  it("shows how far each object got and how fast", async () => {
    const objects = [
      catalogObject({ id: 1, status: "done", size: 100, bytesDone: 40, songs: 30, durationMs: 3_000 }),
      // Started ten seconds before the clock's now.
      catalogObject({
        id: 2,
        status: "processing",
        size: 200,
        bytesDone: 50,
        songs: 25,
        startedAt: T0.toISOString(),
      }),
      catalogObject({ id: 3, status: "queued", size: 0 }),
    ];
    const { service } = setUp(memoryStatusStore(objects).store);
    const { items } = await service.status({ limit: 3, admin: false });
    expect(items.map((o) => [o.progress, o.songsPerSecond])).toEqual([
      [1, 10],
      [0.25, 2.5],
      [0, null],
    ]);
  });

  it("scans the bucket now, queueing failed objects again at once", async () => {
    const { service, scans } = setUp(memoryStatusStore([]).store);
    expect(await service.scan()).toEqual({ listed: 4, queued: 1, requeued: 0, removed: 2 });
    expect(scans).toEqual([{ force: true }]);
  });
});

describe("a reason fit for anyone", () => {
  it("keeps its first line, without file paths, addresses with credentials or stack frames", () => {
    expect(sanitizeReason("bad header in C:/data/in/a.csv\nError: at x")).toBe("bad header in …/a.csv");
    expect(sanitizeReason("postgres://verso:secret@db:5432/verso refused")).toBe("… refused");
    expect(sanitizeReason("x".repeat(600))).toHaveLength(PUBLIC_REASON_MAX);
  });

  it("shows nothing of a file's content: what reasons quote of it is on later lines, or in quotes", () => {
    expect(
      sanitizeReason("no lyrics (lyrics / lyric) column in the header\ncolumns: secretline root:x:0:0"),
    ).toBe("no lyrics (lyrics / lyric) column in the header");
    expect(sanitizeReason('id "root:x:0:0" is not a valid id')).toBe("id “…” is not a valid id");
    expect(sanitizeReason("value is 'secretline' here")).toBe("value is “…” here");
  });

  it("strips every path, one segment or many, absolute, relative or Windows", () => {
    for (const [reason, shown] of [
      ["cannot read /etc/passwd", "cannot read …"],
      ["cannot read /secret", "cannot read …"],
      ["cannot read ../outside/notes.txt now", "cannot read … now"],
      ["cannot read ~/.ssh/id_rsa", "cannot read …"],
      ["cannot read D:\\private\\keys.txt", "cannot read …"],
      ["EACCES: permission denied, open '/srv/data/bucket/a.csv'", "EACCES: permission denied, open “…”"],
      ["cannot read /srv/data/bucket/a.csv", "cannot read …/a.csv"],
    ] as const)
      expect(sanitizeReason(reason), reason).toBe(shown);
    // Not a path: a fraction, "and/or", a key relative to the bucket.
    expect(sanitizeReason("1/2 of artists/one.csv and/or more")).toBe("1/2 of artists/one.csv and/or more");
  });

  it("drops control characters and bidi overrides, and stays one short line", () => {
    expect(sanitizeReason("bad\u0000row\u001b[31m \u202eevil")).toBe("bad row [31m evil");
    expect(sanitizeReason("a\r\nsecond line")).toBe("a");
  });
});
