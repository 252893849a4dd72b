/**
 * A worker killed with SIGKILL in the middle of an object loses nothing and duplicates
 * nothing: `verso ingest` is killed after its first commits, started again, and the catalog
 * ends exactly as one uninterrupted run would leave it.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { parse } from "csv-parse/sync";
import { afterAll, describe, expect, it } from "vitest";
import { judgeLyrics, toPassages } from "../../src/core/catalog/lyrics.js";
import { packageRoot } from "../../src/paths.js";
import { openTestVerso, sharedDatasets, tempDir } from "../support/verso.js";

const csvFile = path.join(sharedDatasets, "song-lyrics-21-artists", "Khalid.csv");
const rows = parse(fs.readFileSync(csvFile), { columns: true }) as Record<string, string>[];
const expectedPassages = rows.reduce((sum, r) => {
  const lyrics = judgeLyrics(r.Lyric ?? "");
  return sum + (lyrics.status === "ok" ? toPassages(lyrics.text).length : 0);
}, 0);

const dataDir = tempDir("verso-kill-");
const dbFile = path.join(dataDir, "verso.db");

function startIngest() {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli.ts", "ingest", csvFile, "--data-dir", dataDir, "--queue-lease-seconds", "2"],
    { cwd: packageRoot, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

const query = <T>(sql: string): T[] => {
  const db = new SQLite(dbFile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
};

async function waitFor(condition: () => boolean, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("a worker killed mid-object", () => {
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("resumes where it stopped, and every song and passage exists exactly once", async () => {
    const first = startIngest();
    const rowsDone = () => {
      if (!fs.existsSync(dbFile)) return 0;
      try {
        return query<{ rows_done: number }>("SELECT rows_done FROM catalog_objects")[0]?.rows_done ?? 0;
      } catch {
        return 0; // the schema is still being created
      }
    };
    await waitFor(() => rowsDone() > 0, 180_000);
    first.child.kill("SIGKILL");
    expect(await first.exited).toBeNull();

    const [interrupted] = query<{ status: string; rows_done: number; songs: number }>(
      "SELECT status, rows_done, songs FROM catalog_objects",
    );
    expect(interrupted!.status).toBe("processing");
    expect(interrupted!.rows_done).toBeGreaterThan(0);
    expect(interrupted!.rows_done).toBeLessThan(rows.length);

    const second = startIngest();
    expect(await second.exited, second.output()).toBe(0);
    expect(second.output()).toMatch(/objects 1 \(0 failed\) · songs \d+/);

    const [object] = query<{ status: string; rows_done: number; songs: number; passages: number }>(
      "SELECT status, rows_done, songs, passages FROM catalog_objects",
    );
    expect(object).toEqual({
      status: "done",
      rows_done: rows.length,
      songs: rows.length,
      passages: expectedPassages,
    });

    const [songs] = query<{ n: number; distinct_ids: number }>(
      "SELECT count(*) AS n, count(DISTINCT id) AS distinct_ids FROM songs",
    );
    expect(songs).toEqual({ n: rows.length, distinct_ids: rows.length });
    const [passages] = query<{ n: number }>("SELECT count(*) AS n FROM passages");
    expect(passages!.n).toBe(expectedPassages);
    const orphans = query(
      "SELECT p.id FROM passages p LEFT JOIN songs s ON s.id = p.song_id WHERE s.id IS NULL",
    );
    expect(orphans).toEqual([]);
    // Ordinals of each song run 0..n-1 with no gap and no repeat.
    const broken = query(
      "SELECT song_id FROM passages GROUP BY song_id HAVING count(*) <> max(ordinal) + 1 OR count(DISTINCT ordinal) <> count(*)",
    );
    expect(broken).toEqual([]);

    // The vector index on disk matches the database, without a rebuild.
    const t = await openTestVerso({ dataDir });
    try {
      expect(t.refreshed).toEqual({ rebuilt: false, count: expectedPassages });
    } finally {
      await t.close();
    }
  }, 600_000);
});
