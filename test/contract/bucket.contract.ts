/**
 * The bucket port's contract: what the crawler and the worker may rely on whichever store
 * holds the CSV objects. Each adapter's test file calls describeBucketContract with a factory.
 */
import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import type { Bucket, BucketObject } from "../../src/core/ports.js";

export interface BucketHarness {
  bucket: Bucket;
  /** Creates or replaces an object. */
  put(key: string, content: string | Buffer): Promise<void>;
  /** Writes an object again with the very same bytes, as a copy or `touch` would: only its time changes. */
  rewrite(key: string): Promise<void>;
  close(): Promise<void>;
}

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

    it("rejects a missing key with an error that names it", async () => {
      const { bucket, put } = await setup();
      await put("present.csv", "x");
      await expect(bucket.open("absent.csv")).rejects.toThrow(/absent\.csv/);
      await expect(bucket.open("nowhere/absent.csv")).rejects.toThrow(/nowhere\/absent\.csv/);
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
        await expect(bucket.open(key), `key ${JSON.stringify(key)}`).rejects.toThrow(/refused/);
      }
    });
  });
}
