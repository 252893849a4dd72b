import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createFolderBucket, RACY_MS } from "../../src/adapters/bucket/folder.js";
import {
  describeBucketContract,
  expectFailure,
  listAll,
  OUTSIDE_SECRET,
  readAll,
} from "./bucket.contract.js";

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), "verso-bucket-"));
}

async function write(root: string, key: string, content: string | Buffer): Promise<void> {
  const file = path.join(root, ...key.split("/"));
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, content);
}

describeBucketContract("folder", async () => {
  const parent = await tempDir();
  const root = path.join(parent, "bucket");
  await fs.mkdir(root);
  // A real file beside the bucket, so a traversal that got through would find something.
  await fs.writeFile(path.join(parent, "outside.csv"), "secret");
  return {
    bucket: createFolderBucket(root),
    put: (key, content) => write(root, key, content),
    async rewrite(key) {
      const file = path.join(root, ...key.split("/"));
      await fs.writeFile(file, await fs.readFile(file));
      // A time no earlier write could have given it, on any clock resolution.
      const later = new Date(Date.now() + 60_000);
      await fs.utimes(file, later, later);
    },
    remove: (key) => fs.rm(path.join(root, ...key.split("/"))),
    async link(key, to) {
      const at = path.join(root, ...key.split("/"));
      await fs.mkdir(path.dirname(at), { recursive: true });
      if (to === "outside-file") {
        await write(parent, "outside/notes.txt", `${OUTSIDE_SECRET}\n`);
        await fs.symlink(path.join("..", "outside", "notes.txt"), at);
      } else if (to === "outside-folder") {
        await write(parent, "elsewhere/x.csv", `id,lyrics\n1,${OUTSIDE_SECRET}\n`);
        await fs.symlink(path.join(parent, "elsewhere"), at);
      } else if (to === "nothing") {
        await fs.symlink(path.join(parent, "no-such-file.csv"), at);
      } else {
        await fs.symlink(path.relative(path.dirname(at), path.join(root, ...to.inside.split("/"))), at);
      }
    },
    async putNonUtf8(content) {
      // "caf\xe9.csv" in Latin-1: a name Node can only show with U+FFFD in it.
      await fs.writeFile(
        Buffer.concat([Buffer.from(`${root}/caf`), Buffer.from([0xe9]), Buffer.from(".csv")]),
        content,
      );
    },
    close: () => fs.rm(parent, { recursive: true, force: true }),
  };
});

/** Lets files written just now age past the window in which their etags are not cached. */
async function ageFiles(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, RACY_MS + 100));
}

describe("folder bucket", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await fs.rm(dir, { recursive: true, force: true });
  });
  const folder = async () => {
    const dir = await tempDir();
    dirs.push(dir);
    return dir;
  };

  it("is named by the absolute folder, even when given a relative path", async () => {
    const dir = await folder();
    const relative = path.relative(process.cwd(), dir);
    expect(createFolderBucket(relative).url).toBe(`file://${dir}`);
  });

  it("given a single file, lists just that file, as a key of its folder", async () => {
    const dir = await folder();
    await write(dir, "songs.csv", "id\n1\n");
    await write(dir, "other.csv", "id\n2\n");
    await write(dir, "plain.txt", "id\n3\n");
    const bucket = createFolderBucket(path.join(dir, "songs.csv"));
    expect(bucket.url).toBe(`file://${dir}`);
    expect((await listAll(bucket)).map((o) => o.key)).toEqual(["songs.csv"]);
    expect((await readAll(await bucket.open("songs.csv"))).bytes.toString()).toBe("id\n1\n");
    // A file named on purpose is listed whatever its extension.
    expect((await listAll(createFolderBucket(path.join(dir, "plain.txt")))).map((o) => o.key)).toEqual([
      "plain.txt",
    ]);
    // The same object, whether the file or its folder is crawled.
    const fromFolder = (await listAll(createFolderBucket(dir))).find((o) => o.key === "songs.csv");
    expect(fromFolder?.etag).toBe((await listAll(bucket))[0]?.etag);
  });

  it("uses the SHA-256 of the content as etag", async () => {
    const dir = await folder();
    await write(dir, "a.csv", "abc");
    const [object] = await listAll(createFolderBucket(dir));
    expect(object?.etag).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("reports the file's modification time, and keeps the etag when only that time changes", async () => {
    const dir = await folder();
    await write(dir, "a.csv", "abc");
    const bucket = createFolderBucket(dir);
    const [before] = await listAll(bucket);
    const touched = new Date("2031-05-06T07:08:09.000Z");
    await fs.utimes(path.join(dir, "a.csv"), touched, touched);
    const [after] = await listAll(bucket);
    expect(after?.modifiedAt.toISOString()).toBe(touched.toISOString());
    expect(after?.etag).toBe(before?.etag);
  });

  it("sees an edit that keeps the size and puts the old modification time back", async () => {
    const dir = await folder();
    const file = path.join(dir, "a.csv");
    await write(dir, "a.csv", "abc");
    const stamp = new Date("2020-01-01T00:00:00.000Z");
    await fs.utimes(file, stamp, stamp);
    const bucket = createFolderBucket(dir);
    const [before] = await listAll(bucket);
    await fs.writeFile(file, "abd");
    await fs.utimes(file, stamp, stamp);
    const [after] = await listAll(bucket);
    expect(after?.modifiedAt.getTime()).toBe(before?.modifiedAt.getTime());
    expect(after?.etag).not.toBe(before?.etag);
  });

  it("does not read unchanged files again on a re-crawl, and reads a changed one only", async () => {
    const dir = await folder();
    for (const key of ["a.csv", "b.csv", "sub/c.csv"]) await write(dir, key, `${key}\n`.repeat(1000));
    // Files written this recently are not trusted to the cache (see RACY_MS): let them age.
    const written = Date.now();
    await new Promise((resolve) => setTimeout(resolve, RACY_MS + 100 - (Date.now() - written)));
    const bucket = createFolderBucket(dir);
    const first = await listAll(bucket);
    expect(bucket.hashStats().files).toBe(3);
    const again = await listAll(bucket);
    expect(bucket.hashStats().files).toBe(3);
    expect(again).toEqual(first);

    const later = new Date(Date.now() + 60_000);
    await fs.utimes(path.join(dir, "b.csv"), later, later);
    const third = await listAll(bucket);
    expect(bucket.hashStats().files).toBe(4);
    expect(third.map((o) => o.etag)).toEqual(first.map((o) => o.etag));
  });

  it("skips hidden files and folders", async () => {
    const dir = await folder();
    await write(dir, "visible.csv", "x");
    await write(dir, ".hidden.csv", "x");
    await write(dir, "._visible.csv", "resource fork");
    await write(dir, ".git/objects/x.csv", "x");
    expect((await listAll(createFolderBucket(dir))).map((o) => o.key)).toEqual(["visible.csv"]);
  });

  it("lists a link to a file elsewhere as refused, unread, and does not follow linked folders round in a loop", async () => {
    const dir = await folder();
    const elsewhere = await folder();
    await write(dir, "real.csv", "x");
    await write(elsewhere, "linked.csv", "y");
    await fs.symlink(path.join(elsewhere, "linked.csv"), path.join(dir, "link.csv"));
    await fs.symlink(dir, path.join(dir, "loop"));
    const bucket = createFolderBucket(dir);
    const objects = await listAll(bucket);
    expect(objects.map((o) => [o.key, o.size, o.refused ?? null])).toEqual([
      ["link.csv", 0, expect.stringMatching(/outside the bucket/)],
      ["real.csv", 1, null],
    ]);
    // Its content was not even hashed.
    expect(bucket.hashStats().files).toBe(1);
  });

  it("refuses a link swapped in for a listed file before it is opened", async () => {
    const dir = await folder();
    const elsewhere = await folder();
    await write(dir, "songs.csv", "id,lyrics\n");
    await write(elsewhere, "secret.csv", OUTSIDE_SECRET);
    const bucket = createFolderBucket(dir);
    const [listed] = await listAll(bucket);
    await fs.rm(path.join(dir, "songs.csv"));
    await fs.symlink(path.join(elsewhere, "secret.csv"), path.join(dir, "songs.csv"));
    for (const options of [{}, { etag: listed!.etag }, { start: 2 }]) {
      const error = await expectFailure(bucket.open("songs.csv", options), "VALIDATION_FAILED", "songs.csv");
      expect(error.message).toMatch(/outside the bucket/);
    }
  });

  it("fails clearly when the folder does not exist", async () => {
    const dir = await folder();
    const bucket = createFolderBucket(path.join(dir, "missing"));
    await expect(listAll(bucket)).rejects.toThrow(/no such folder/);
  });

  it("fails clearly when the single file it was given is gone", async () => {
    const dir = await folder();
    await write(dir, "songs.csv", "x");
    const bucket = createFolderBucket(path.join(dir, "songs.csv"));
    await fs.rm(path.join(dir, "songs.csv"));
    await expect(listAll(bucket)).rejects.toThrow(/no such file "songs\.csv"/);
  });

  it("reports a missing object, or a folder named as one, as OBJECT_NOT_FOUND", async () => {
    const dir = await folder();
    await write(dir, "sub.csv/inner.csv", "x");
    const bucket = createFolderBucket(dir);
    await expectFailure(bucket.open("absent.csv"), "OBJECT_NOT_FOUND", "absent.csv");
    await expectFailure(bucket.open("sub.csv"), "OBJECT_NOT_FOUND", "sub.csv");
    await expectFailure(bucket.open("sub.csv", { etag: "x" }), "OBJECT_NOT_FOUND", "sub.csv");
    await expectFailure(bucket.open("absent.csv/below.csv"), "OBJECT_NOT_FOUND", "absent.csv/below.csv");
  });

  it("confirms the listed etag of an unchanged file without hashing it again", async () => {
    const dir = await folder();
    await write(dir, "a.csv", "id\n1\n".repeat(1000));
    await ageFiles();
    const bucket = createFolderBucket(dir);
    const [listed] = await listAll(bucket);
    expect(bucket.hashStats().files).toBe(1);
    const { bytes } = await readAll(await bucket.open("a.csv", { etag: listed!.etag, start: 3 }));
    expect(bytes.toString()).toBe("id\n1\n".repeat(1000).slice(3));
    expect(bucket.hashStats().files).toBe(1);
  });

  it("hashes a file it has no trusted etag for, and caches it for the next crawl", async () => {
    const dir = await folder();
    await write(dir, "a.csv", "abc");
    await ageFiles();
    const bucket = createFolderBucket(dir);
    const etag = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    expect((await readAll(await bucket.open("a.csv", { etag }))).bytes.toString()).toBe("abc");
    expect(bucket.hashStats().files).toBe(1);
    expect((await listAll(bucket))[0]?.etag).toBe(etag);
    expect(bucket.hashStats().files).toBe(1);
  });

  it("sees an edit that keeps the size and the modification time, even with the etag cached", async () => {
    const dir = await folder();
    const file = path.join(dir, "a.csv");
    await write(dir, "a.csv", "abc");
    const stamp = new Date("2020-01-01T00:00:00.000Z");
    await fs.utimes(file, stamp, stamp);
    await ageFiles();
    const bucket = createFolderBucket(dir);
    const [listed] = await listAll(bucket);
    await fs.writeFile(file, "abd");
    await fs.utimes(file, stamp, stamp);
    await expectFailure(bucket.open("a.csv", { etag: listed!.etag }), "OBJECT_CHANGED", "a.csv");
    expect(bucket.hashStats().files).toBe(2);
  });

  it("never trusts the cache for a file edited within the timestamp granularity", async () => {
    const dir = await folder();
    const file = path.join(dir, "a.csv");
    await write(dir, "a.csv", "abc");
    const bucket = createFolderBucket(dir);
    const [listed] = await listAll(bucket);
    await fs.writeFile(file, "abd");
    await expectFailure(bucket.open("a.csv", { etag: listed!.etag }), "OBJECT_CHANGED", "a.csv");
  });

  it("keeps streaming the version it opened when the file is replaced by a rename", async () => {
    const dir = await folder();
    const old = Buffer.alloc(4 * 1024 * 1024, "a");
    await write(dir, "a.csv", old);
    const bucket = createFolderBucket(dir);
    const [listed] = await listAll(bucket);
    const stream = await bucket.open("a.csv", { etag: listed!.etag });
    await write(dir, "a.csv.tmp", "new content");
    await fs.rename(path.join(dir, "a.csv.tmp"), path.join(dir, "a.csv"));
    expect((await readAll(stream)).bytes.equals(old)).toBe(true);
    await expectFailure(bucket.open("a.csv", { etag: listed!.etag }), "OBJECT_CHANGED", "a.csv");
  });

  it("fails the stream with OBJECT_CHANGED when the file is edited in place while it is read", async () => {
    const dir = await folder();
    const file = path.join(dir, "a.csv");
    await write(dir, "a.csv", Buffer.alloc(4 * 1024 * 1024, "a"));
    const bucket = createFolderBucket(dir);
    const [listed] = await listAll(bucket);
    const stream = await bucket.open("a.csv", { etag: listed!.etag });
    await new Promise((resolve) => stream.once("data", resolve));
    stream.pause();
    const handle = await fs.open(file, "r+");
    await handle.write(Buffer.from("b"), 0, 1, 10);
    await handle.close();
    await expectFailure(readAll(stream), "OBJECT_CHANGED", "a.csv");
  });

  it("fails the stream with OBJECT_CHANGED when the file is truncated while it is read", async () => {
    const dir = await folder();
    const file = path.join(dir, "a.csv");
    await write(dir, "a.csv", Buffer.alloc(4 * 1024 * 1024, "a"));
    const bucket = createFolderBucket(dir);
    const stream = await bucket.open("a.csv");
    await new Promise((resolve) => stream.once("data", resolve));
    stream.pause();
    await fs.truncate(file, 10);
    await expectFailure(readAll(stream), "OBJECT_CHANGED", "a.csv");
  });

  it("refuses a key that would escape the folder even when the file exists", async () => {
    const parent = await folder();
    await write(parent, "outside.csv", "secret");
    await write(parent, "bucket/inside.csv", "x");
    const bucket = createFolderBucket(path.join(parent, "bucket"));
    await expect(bucket.open("../outside.csv")).rejects.toThrow(/refused/);
    await expect(bucket.open(path.join(parent, "outside.csv"))).rejects.toThrow(/refused/);
    await expect(bucket.open("..\\outside.csv")).rejects.toThrow(/refused/);
    await expect(bucket.open("inside.csv\0")).rejects.toThrow(/refused/);
  });
});
