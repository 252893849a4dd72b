/**
 * What a stranger learns from the catalog's status is untrusted output: a symbolic link in the
 * bucket to a file outside it is never read (not ingested, not quoted in a reason), and a
 * broken file's reason shows no line of the file, no path, only a short first line. An
 * administrator sees the whole reason, what the header holds included.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ingestOnce } from "../../src/roles/ingest-once.js";
import { PASSWORD } from "../support/test-app.js";
import { openTestVerso, tempDir, writeCsv } from "../support/verso.js";

const SECRET = "secretline root:x:0:0:root:/root:/bin/bash";
const lyric = "I sing about the sea in the morning\nand the sea again at night";
const parent = tempDir("verso-untrusted-");
const bucket = path.join(parent, "bucket");
let t: Awaited<ReturnType<typeof openTestVerso>>;

beforeAll(async () => {
  fs.mkdirSync(path.join(parent, "outside"), { recursive: true });
  fs.writeFileSync(path.join(parent, "outside", "notes.txt"), `${SECRET}\nmore\n`);
  writeCsv(
    path.join(parent, "outside", "songs.csv"),
    ["id", "name", "artists", "lyrics"],
    [["x1", "Outside Song", "['Out']", lyric]],
  );
  writeCsv(
    path.join(bucket, "good.csv"),
    ["id", "name", "artists", "lyrics"],
    [["s1", "Sea", "['Ann']", lyric]],
  );
  fs.writeFileSync(path.join(bucket, "bad-header.csv"), `${SECRET},other\n1,2\n`);
  fs.symlinkSync(path.join("..", "outside", "notes.txt"), path.join(bucket, "link-notes.csv"));
  fs.symlinkSync(path.join(parent, "outside", "songs.csv"), path.join(bucket, "link-songs.csv"));
  t = await openTestVerso();
  await ingestOnce(t.verso, `file://${bucket}`);
}, 300_000);

afterAll(async () => {
  await t?.close();
  fs.rmSync(parent, { recursive: true, force: true });
});

const status = async (token?: string) => {
  const reply = await t.app.inject({
    method: "GET",
    url: "/api/catalog/status?limit=50",
    ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
  });
  expect(reply.statusCode).toBe(200);
  return reply.json() as { items: { key: string; status: string; songs: number; error: string | null }[] };
};

it("never reads a file outside the bucket through a link, and says why it is not read", async () => {
  const byKey = Object.fromEntries((await status()).items.map((o) => [o.key, o]));
  expect(byKey["good.csv"]).toMatchObject({ status: "done", songs: 1 });
  for (const key of ["link-notes.csv", "link-songs.csv"]) {
    expect(byKey[key]).toMatchObject({ status: "failed", songs: 0 });
    expect(byKey[key]?.error).toMatch(/symbolic link to a file outside the bucket/);
  }
  const outside = await t.app.inject({ method: "GET", url: "/api/songs/x1" });
  expect(outside.statusCode).toBe(404);
});

it("shows a stranger no line of a file nor any path; an administrator the whole reason", async () => {
  const anonymous = await status();
  const text = JSON.stringify(anonymous);
  expect(text).not.toContain("secretline");
  expect(text).not.toContain("root:x");
  expect(text).not.toContain(parent);
  const bad = anonymous.items.find((o) => o.key === "bad-header.csv");
  expect(bad?.error).toMatch(/^no lyrics .* column in the header$/);
  for (const item of anonymous.items) expect((item.error ?? "").length).toBeLessThanOrEqual(200);

  const register = await t.app.inject({
    method: "POST",
    url: "/api/auth/register",
    payload: { username: "keeper", password: PASSWORD },
  });
  await (await t.verso.administration()).grantAdmin("keeper");
  const admin = await status(register.json().token as string);
  expect(admin.items.find((o) => o.key === "bad-header.csv")?.error).toContain("secretline");
});
