import { afterEach, expect, it } from "vitest";
import type { SongStore } from "../../core/catalog/store.js";
import { buildTestApp, type TestApp } from "../../../test/support/test-app.js";
import { songsRoutes } from "./routes.js";

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

it("refuses a k that is not a finite integer before looking for similar songs", async () => {
  const asked: number[] = [];
  const store = { getSong: async () => null } as Partial<SongStore> as SongStore;
  t = await buildTestApp({
    otherRoutes: [
      songsRoutes({
        store,
        similar: async (_id, k) => {
          asked.push(k);
          return [];
        },
      }),
    ],
  });
  // Ajv coerces "Infinity" and "1e400" to Infinity, which its bounds let through.
  for (const k of ["Infinity", "-Infinity", "1e400"]) {
    const reply = await t.call("GET", `/api/songs/some-song/similar?k=${k}`);
    expect([reply.status, reply.body.error.code], k).toEqual([400, "VALIDATION_FAILED"]);
  }
  expect((await t.call("GET", "/api/songs/some-song/similar?k=5")).status).toBe(200);
  expect(asked).toEqual([5]);
});
