/**
 * The bucket port's contract: what the crawler and the worker may rely on whichever store
 * holds the CSV objects. Each adapter's test file calls describeBucketContract with a factory.
 */
import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { VersoError, type ErrorCode } from "../../src/core/errors.js";
import type { Bucket, BucketObject } from "../../src/core/ports.js";

export interface BucketHarness {
  bucket: Bucket;
  /** Creates or replaces an object. */
  put(key: string, content: string | Buffer): Promise<void>;
  /** Writes an object again with the very same bytes, as a copy or `touch` would: only its time changes. */
  rewrite(key: string): Promise<void>;
  /** Deletes an object. */
  remove(key: string): Promise<void>;
  /**
   * Stores that have links (a folder): makes `key` a symbolic link to a file or folder outside
   * the bucket holding `content` ("outside-file", "outside-folder" with `content` as its x.csv),
   * to another key inside it, or to nothing.
   */
  link?(key: string, to: "outside-file" | "outside-folder" | "nothing" | { inside: string }): Promise<void>;
  /** Stores whose names are bytes (a folder): creates an object whose name is not UTF-8. */
  putNonUtf8?(content: string): Promise<void>;
  close(): Promise<void>;
}

/** What the files a link leads to outside the bucket hold: never to be seen through it. */
export const OUTSIDE_SECRET = "secretline root:x:0:0";

export type BucketFactory = () => Promise<BucketHarness>;

export async function listAll(bucket: Bucket): Promise<BucketObject[]> {
  const objects: BucketObject[] = [];
  for await (const object of bucket.list()) objects.push(object);
  return objects;
}

export async function readAll(stream: Readable): Promise<{ bytes: Buffer; chunks: number }> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return { bytes: Buffer.concat(chunks), chunks: chunks.length };
}

/** Rejects with a VersoError of this code, and a message naming the key. */
export async function expectFailure(
  promise: Promise<unknown>,
  code: ErrorCode,
  key?: string,
): Promise<VersoError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(VersoError);
  expect((error as VersoError).code).toBe(code);
  if (key !== undefined) expect((error as VersoError).message).toContain(JSON.stringify(key));
  return error as VersoError;
}

async function text(stream: Promise<Readable>): Promise<string> {
  return (await readAll(await stream)).bytes.toString("utf8");
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Runs `task` over `items`, a few at a time. */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await task(items[next++] as T);
  };
  await Promise.all(Array.from({ length: limit }, lane));
}

export function describeBucketContract(name: string, factory: BucketFactory): void {
  describe(`Bucket contract: ${name}`, () => {
    const harnesses: BucketHarness[] = [];
    afterEach(async () => {
      for (const harness of harnesses.splice(0)) await harness.close();
    });
    const setup = async () => {
      const harness = await factory();
      harnesses.push(harness);
      return harness;
    };

    it("lists nothing when empty", async () => {
      const { bucket } = await setup();
      expect(await listAll(bucket)).toEqual([]);
    });

    it("lists every CSV object, nested ones too, sorted by key, with its size and time", async () => {
      const { bucket, put } = await setup();
      const before = Date.now();
      await put("b.csv", "id,lyrics\n1,hello\n");
      await put("a/z.csv", "z");
      await put("a-b.csv", "ab");
      await put("Z.csv", "");
      await put("a/deep/er/x.CSV", "xx");
      await put("notes.txt", "not a catalog object");
      await put("a/readme.md", "nor this");
      const objects = await listAll(bucket);
      // Byte order of the whole key, as S3 lists it: "Z" before "a", and "-" (0x2d) before "/" (0x2f).
      expect(objects.map((o) => o.key)).toEqual(["Z.csv", "a-b.csv", "a/deep/er/x.CSV", "a/z.csv", "b.csv"]);
      expect(objects.map((o) => o.size)).toEqual([0, 2, 2, 1, 18]);
      for (const object of objects) {
        expect(object.modifiedAt).toBeInstanceOf(Date);
        // Whole seconds of slack: some stores keep times to the second.
        expect(object.modifiedAt.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000);
        expect(object.etag).toMatch(/\S/);
      }
    });

    it("keeps an object's etag when it is written again with the same content", async () => {
      const { bucket, put, rewrite } = await setup();
      await put("songs.csv", "id,lyrics\n1,la la la\n");
      const [before] = await listAll(bucket);
      await rewrite("songs.csv");
      const [after] = await listAll(bucket);
      expect(after?.etag).toBe(before?.etag);
      expect(after?.size).toBe(before?.size);
    });

    it("changes an object's etag when its content changes, even at the same size", async () => {
      const { bucket, put } = await setup();
      await put("songs.csv", "id,lyrics\n1,la la la\n");
      const [before] = await listAll(bucket);
      await put("songs.csv", "id,lyrics\n2,la la la\n");
      const [after] = await listAll(bucket);
      expect(after?.size).toBe(before?.size);
      expect(after?.etag).not.toBe(before?.etag);
    });

    it("gives different objects with different content different etags", async () => {
      const { bucket, put } = await setup();
      await put("one.csv", "1");
      await put("two.csv", "2");
      await put("copy.csv", "1");
      const etags = Object.fromEntries((await listAll(bucket)).map((o) => [o.key, o.etag]));
      expect(etags["one.csv"]).not.toBe(etags["two.csv"]);
      expect(etags["copy.csv"]).toBe(etags["one.csv"]);
    });

    it("opens an object as a stream of its exact bytes", async () => {
      const { bucket, put } = await setup();
      const big = randomBytes(3 * 1024 * 1024 + 17);
      await put("big/data.csv", big);
      await put("small.csv", "id,lyrics\n1,¿qué?\n");
      const large = await readAll(await bucket.open("big/data.csv"));
      expect(large.bytes.equals(big)).toBe(true);
      // Streamed in pieces, not read whole into one buffer.
      expect(large.chunks).toBeGreaterThan(1);
      expect((await readAll(await bucket.open("small.csv"))).bytes.toString("utf8")).toBe(
        "id,lyrics\n1,¿qué?\n",
      );
    });

    it("opens every key it lists", async () => {
      const { bucket, put } = await setup();
      await put("x/1.csv", "one");
      await put("x/y/2.csv", "two");
      for (const object of await listAll(bucket)) {
        const { bytes } = await readAll(await bucket.open(object.key));
        expect(bytes.length).toBe(object.size);
      }
    });

    it("rejects a missing key with OBJECT_NOT_FOUND naming it, whatever the options", async () => {
      const { bucket, put } = await setup();
      await put("present.csv", "x");
      await expectFailure(bucket.open("absent.csv"), "OBJECT_NOT_FOUND", "absent.csv");
      await expectFailure(bucket.open("nowhere/absent.csv"), "OBJECT_NOT_FOUND", "nowhere/absent.csv");
      await expectFailure(
        bucket.open("absent.csv", { etag: "x", start: 1 }),
        "OBJECT_NOT_FOUND",
        "absent.csv",
      );
    });

    it("rejects an object deleted since it was listed with OBJECT_NOT_FOUND", async () => {
      const { bucket, put, remove } = await setup();
      await put("gone.csv", "id\n1\n");
      const [listed] = await listAll(bucket);
      await remove("gone.csv");
      await expectFailure(bucket.open("gone.csv", { etag: listed!.etag }), "OBJECT_NOT_FOUND", "gone.csv");
      expect(await listAll(bucket)).toEqual([]);
    });

    it("opens with the listed etag to read the whole object", async () => {
      const { bucket, put } = await setup();
      const content = randomBytes(2 * 1024 * 1024 + 5);
      await put("songs.csv", content);
      const [listed] = await listAll(bucket);
      const { bytes } = await readAll(await bucket.open("songs.csv", { etag: listed!.etag }));
      expect(bytes.equals(content)).toBe(true);
      // Asking again is no different: a confirmed etag is not spent by a read.
      expect((await readAll(await bucket.open("songs.csv", { etag: listed!.etag }))).bytes.length).toBe(
        content.length,
      );
    });

    it("refuses with OBJECT_CHANGED to open, by a stale etag, an object that changed since it was listed", async () => {
      const { bucket, put } = await setup();
      await put("songs.csv", "id,lyrics\n1,first version\n");
      const [first] = await listAll(bucket);
      await put("songs.csv", "id,lyrics\n1,other version\n");
      const [second] = await listAll(bucket);
      await expectFailure(bucket.open("songs.csv", { etag: first!.etag }), "OBJECT_CHANGED", "songs.csv");
      await expectFailure(
        bucket.open("songs.csv", { etag: first!.etag, start: 3 }),
        "OBJECT_CHANGED",
        "songs.csv",
      );
      // Not an etag it ever had, even one shaped like a header value.
      for (const etag of ["0123456789abcdef", '"quoted"', "W/x", "é"])
        await expectFailure(bucket.open("songs.csv", { etag }), "OBJECT_CHANGED", "songs.csv");
      expect(await text(bucket.open("songs.csv", { etag: second!.etag }))).toBe(
        "id,lyrics\n1,other version\n",
      );
    });

    it("reads from a byte offset, with or without the etag", async () => {
      const { bucket, put } = await setup();
      const content = Buffer.from("id,lyrics\n1,¿qué?\n2,sí\n");
      await put("songs.csv", content);
      const [listed] = await listAll(bucket);
      for (const start of [0, 1, 10, content.length - 1]) {
        const expected = content.subarray(start);
        expect((await readAll(await bucket.open("songs.csv", { start }))).bytes.equals(expected)).toBe(true);
        const confirmed = await readAll(await bucket.open("songs.csv", { start, etag: listed!.etag }));
        expect(confirmed.bytes.equals(expected), `from ${start}`).toBe(true);
      }
      const large = randomBytes(3 * 1024 * 1024);
      await put("large.csv", large);
      const offset = 1024 * 1024 + 3;
      expect(
        (await readAll(await bucket.open("large.csv", { start: offset }))).bytes.equals(
          large.subarray(offset),
        ),
      ).toBe(true);
    });

    it("reads nothing from the very end, and refuses a start beyond it with VALIDATION_FAILED", async () => {
      const { bucket, put } = await setup();
      await put("songs.csv", "0123456789");
      await put("empty.csv", "");
      const etags = Object.fromEntries((await listAll(bucket)).map((o) => [o.key, o.etag]));
      const atEnd = await bucket.open("songs.csv", { start: 10 });
      // Still a byte stream, as csv-parse expects, though there is nothing in it.
      expect(atEnd.readableObjectMode).toBe(false);
      expect((await readAll(atEnd)).bytes.length).toBe(0);
      expect(
        (await readAll(await bucket.open("songs.csv", { start: 10, etag: etags["songs.csv"] }))).bytes.length,
      ).toBe(0);
      expect(
        (await readAll(await bucket.open("empty.csv", { start: 0, etag: etags["empty.csv"] }))).bytes.length,
      ).toBe(0);
      const beyond = await expectFailure(
        bucket.open("songs.csv", { start: 11 }),
        "VALIDATION_FAILED",
        "songs.csv",
      );
      expect(beyond.message).toMatch(/\b11\b.*\b10 bytes/);
      await expectFailure(bucket.open("empty.csv", { start: 1 }), "VALIDATION_FAILED", "empty.csv");
      // The version check comes first: a changed object is reported as changed, not as short.
      await expectFailure(
        bucket.open("songs.csv", { start: 11, etag: etags["empty.csv"] }),
        "OBJECT_CHANGED",
      );
    });

    it("refuses a start or an etag that means nothing with VALIDATION_FAILED", async () => {
      const { bucket, put } = await setup();
      await put("songs.csv", "0123456789");
      for (const start of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, "3" as unknown as number])
        await expectFailure(bucket.open("songs.csv", { start }), "VALIDATION_FAILED", "songs.csv");
      for (const etag of ["", 42 as unknown as string])
        await expectFailure(bucket.open("songs.csv", { etag }), "VALIDATION_FAILED", "songs.csv");
    });

    it("lists and opens keys with spaces, unicode, URL characters and deep prefixes", async () => {
      const { bucket, put } = await setup();
      const keys = [
        "mis canciones/año 2024/¿qué tal?.csv",
        "emoji 😀.csv",
        "Ünïcödé/naïve café.csv",
        "x+y=z.csv",
        "100%.csv",
        "hash#1.csv",
        "a&b;c,d'e.csv",
        "deep/er/and/deeper/still/songs.csv",
        "日本語/歌詞.csv",
      ];
      for (const key of keys) await put(key, `content of ${key}`);
      const objects = await listAll(bucket);
      expect(objects.map((o) => o.key)).toEqual([...keys].sort(byteOrder));
      for (const object of objects) {
        expect(await text(bucket.open(object.key, { etag: object.etag }))).toBe(`content of ${object.key}`);
        expect(object.size).toBe(Buffer.byteLength(`content of ${object.key}`));
      }
    });

    it("skips hidden entries anywhere in a key", async () => {
      const { bucket, put } = await setup();
      await put("visible.csv", "x");
      await put(".hidden.csv", "x");
      await put("._visible.csv", "resource fork");
      await put(".git/objects/x.csv", "x");
      await put("sub/.cache/y.csv", "x");
      await put("sub/z.csv", "x");
      expect((await listAll(bucket)).map((o) => o.key)).toEqual(["sub/z.csv", "visible.csv"]);
    });

    it("lists many objects, beyond one page of a paginated store, each once and in order", async () => {
      const { bucket, put } = await setup();
      const keys = Array.from({ length: 1013 }, (_, i) => `many/${String(i).padStart(5, "0")}.csv`);
      await eachLimited([...keys].reverse(), 8, (key) => put(key, key));
      await put("many/readme.txt", "not listed");
      const objects = await listAll(bucket);
      expect(objects.map((o) => o.key)).toEqual(keys);
      expect(new Set(objects.map((o) => o.etag)).size).toBe(keys.length);
    });

    it("lists and opens keys with hostile names: quotes, dots, percent escapes, a leading dash, spaces, a long name", async () => {
      const { bucket, put } = await setup();
      const keys = [
        `quote"and'apostrophe.csv`,
        "a..b.csv",
        "dots.in.the.name..csv",
        "%2e%2e%2fescaped.csv",
        "%00nul.csv",
        "-starts-with-a-dash.csv",
        " leading and trailing space .csv",
        "semi;colon|pipe&amp.csv",
        "<script>.csv",
        `${"l".repeat(200)}.csv`,
        "caf\u00e9.csv",
        "cafe\u0301.csv",
      ];
      for (const key of keys) await put(key, `content of ${key}`);
      const objects = await listAll(bucket);
      expect(objects.map((o) => o.key)).toEqual([...keys].sort(byteOrder));
      for (const object of objects) {
        expect(object.refused, object.key).toBeUndefined();
        expect(await text(bucket.open(object.key, { etag: object.etag }))).toBe(`content of ${object.key}`);
      }
    });

    it("lists a name that cannot be a key (a backslash) as refused, with why, and refuses to open it", async () => {
      const { bucket, put } = await setup();
      await put("fine.csv", "x");
      await put("back\\slash.csv", "x");
      const objects = await listAll(bucket);
      expect(objects.map((o) => [o.key, o.refused === undefined])).toEqual([
        ["back\\slash.csv", false],
        ["fine.csv", true],
      ]);
      expect(objects[0]?.refused).toMatch(/separator/);
      await expectFailure(bucket.open("back\\slash.csv"), "VALIDATION_FAILED");
    });

    it("never reads a file outside the bucket through a link: listed as refused, never opened", async (context) => {
      const harness = await setup();
      if (!harness.link) return context.skip();
      const { bucket, put, link } = harness;
      await put("real.csv", "id,lyrics\n1,la\n");
      await link("link-notes.csv", "outside-file");
      const objects = await listAll(bucket);
      expect(objects.map((o) => o.key)).toEqual(["link-notes.csv", "real.csv"]);
      const [linked] = objects;
      expect(linked?.refused).toMatch(/outside the bucket/);
      expect(JSON.stringify(objects)).not.toContain("secretline");
      const error = await expectFailure(bucket.open("link-notes.csv"), "VALIDATION_FAILED", "link-notes.csv");
      expect(error.message).toMatch(/outside/);
      expect(error.message).not.toContain("secretline");
    });

    it("does not walk a linked folder outside the bucket, nor open a key through it", async (context) => {
      const harness = await setup();
      if (!harness.link) return context.skip();
      await harness.put("real.csv", "x");
      await harness.link("elsewhere", "outside-folder");
      expect((await listAll(harness.bucket)).map((o) => o.key)).toEqual(["real.csv"]);
      const error = await harness.bucket.open("elsewhere/x.csv").then(
        () => null,
        (reason: unknown) => reason as VersoError,
      );
      expect(error?.code).toMatch(/^(VALIDATION_FAILED|OBJECT_NOT_FOUND)$/);
    });

    it("reads a link to another file of the bucket like that file, and lists a link to nothing as refused", async (context) => {
      const harness = await setup();
      if (!harness.link) return context.skip();
      await harness.put("sub/real.csv", "inside");
      await harness.link("alias.csv", { inside: "sub/real.csv" });
      await harness.link("dangling.csv", "nothing");
      const objects = await listAll(harness.bucket);
      expect(objects.map((o) => [o.key, o.refused === undefined])).toEqual([
        ["alias.csv", true],
        ["dangling.csv", false],
        ["sub/real.csv", true],
      ]);
      expect(await text(harness.bucket.open("alias.csv", { etag: objects[0]!.etag }))).toBe("inside");
    });

    it("lists a file whose name is not UTF-8 as refused, saying to rename it", async (context) => {
      const harness = await setup();
      if (!harness.putNonUtf8) return context.skip();
      await harness.put("fine.csv", "x");
      await harness.putNonUtf8("x");
      const objects = await listAll(harness.bucket);
      expect(objects).toHaveLength(2);
      const refused = objects.filter((o) => o.refused !== undefined);
      expect(refused).toHaveLength(1);
      expect(refused[0]?.refused).toMatch(/UTF-8/);
    });

    it("refuses keys that could reach outside the bucket", async () => {
      const { bucket, put } = await setup();
      await put("inside.csv", "x");
      for (const key of [
        "../outside.csv",
        "a/../../outside.csv",
        "/etc/passwd",
        "..",
        "",
        "a//b.csv",
        "./inside.csv",
      ]) {
        const error = await expectFailure(bucket.open(key), "VALIDATION_FAILED");
        expect(error.message, `key ${JSON.stringify(key)}`).toMatch(/refused/);
      }
    });
  });
}
