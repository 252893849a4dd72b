import { randomBytes } from "node:crypto";
import { DeleteObjectCommand, GetObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createS3Bucket,
  parseS3Url,
  type S3Bucket,
  type S3BucketOptions,
} from "../../src/adapters/bucket/s3.js";
import { VersoError } from "../../src/core/errors.js";
import { startS3Server, type S3TestServer } from "../support/s3-server.js";
import { describeBucketContract, expectFailure, listAll, readAll } from "./bucket.contract.js";

// One server for the contract and one that, like S3, refuses a stale If-Match itself.
let plain: S3TestServer;
let strict: S3TestServer;
beforeAll(async () => {
  [plain, strict] = await Promise.all([startS3Server(), startS3Server({ honourIfMatch: true })]);
});
afterAll(async () => {
  await Promise.all([plain?.stop(), strict?.stop()]);
});

const opened: S3Bucket[] = [];
afterAll(() => {
  for (const bucket of opened.splice(0)) bucket.close();
});

function bucketOn(server: S3TestServer, options: Partial<S3BucketOptions> & { url: string }): S3Bucket {
  const bucket = createS3Bucket({
    endpoint: server.endpoint,
    region: server.region,
    credentials: server.credentials,
    ...options,
  });
  opened.push(bucket);
  return bucket;
}

describeBucketContract("s3 (s3rver)", async () => {
  const name = await plain.createBucket();
  const prefix = "catalog/in";
  const objectKey = (key: string) => `${prefix}/${key}`;
  // Objects beside the prefix, so a key that escaped it would find something.
  await plain.put(name, "outside.csv", "secret");
  await plain.put(name, "catalog/outside.csv", "secret");
  const bucket = bucketOn(plain, { url: `s3://${name}/${prefix}` });
  return {
    bucket,
    put: (key, content) => plain.put(name, objectKey(key), content),
    async rewrite(key) {
      const current = await plain.client.send(new GetObjectCommand({ Bucket: name, Key: objectKey(key) }));
      const bytes = Buffer.from(await current.Body!.transformToByteArray());
      // A second later, so that a store keeping times to the second shows a new time.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await plain.put(name, objectKey(key), bytes);
    },
    async remove(key) {
      await plain.client.send(new DeleteObjectCommand({ Bucket: name, Key: objectKey(key) }));
    },
    async close() {},
  };
});

describe("s3 bucket", () => {
  const listRequests = async (server: S3TestServer, bucket: string) =>
    (await server.requests()).filter(
      (r) => r.method === "GET" && r.url.startsWith(`/${bucket}/?`) && r.url.includes("list-type=2"),
    ).length;

  it("follows continuation tokens through more than a thousand objects, one request a page", async () => {
    const name = await plain.createBucket();
    const keys = Array.from({ length: 2001 }, (_, i) => `songs-${String(i).padStart(5, "0")}.csv`);
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < keys.length) {
          const key = keys[next++]!;
          await plain.put(name, key, key);
        }
      }),
    );
    const bucket = bucketOn(plain, { url: `s3://${name}` });
    const before = await listRequests(plain, name);
    const objects = await listAll(bucket);
    expect(objects.map((o) => o.key)).toEqual(keys);
    expect((await listRequests(plain, name)) - before).toBe(3);
  });

  it("lists in small pages, pages that hold nothing listable included", async () => {
    const name = await plain.createBucket();
    for (const key of [
      "a.txt",
      "b.txt",
      "c.txt",
      "d.csv",
      "e.md",
      "f.md",
      "g.md",
      "h.csv",
      ".i.csv",
      "j.csv",
    ])
      await plain.put(name, key, key);
    const bucket = bucketOn(plain, { url: `s3://${name}`, pageSize: 2 });
    const before = await listRequests(plain, name);
    expect((await listAll(bucket)).map((o) => o.key)).toEqual(["d.csv", "h.csv", "j.csv"]);
    expect((await listRequests(plain, name)) - before).toBe(5);
  });

  it("lists only what is under its prefix, with keys relative to it", async () => {
    const name = await plain.createBucket();
    for (const key of ["root.csv", "in.csv", "inbox/x.csv", "in/a.csv", "in/deep/b.csv", "other/in/c.csv"])
      await plain.put(name, key, key);
    const keysOf = async (url: string) => (await listAll(bucketOn(plain, { url }))).map((o) => o.key);
    expect(await keysOf(`s3://${name}/in`)).toEqual(["a.csv", "deep/b.csv"]);
    expect(await keysOf(`s3://${name}/in/`)).toEqual(["a.csv", "deep/b.csv"]);
    expect(await keysOf(`s3://${name}/in/deep`)).toEqual(["b.csv"]);
    expect(await keysOf(`s3://${name}`)).toEqual([
      "in.csv",
      "in/a.csv",
      "in/deep/b.csv",
      "inbox/x.csv",
      "other/in/c.csv",
      "root.csv",
    ]);
    expect(await keysOf(`s3://${name}/nothing-here`)).toEqual([]);
    const narrowed = bucketOn(plain, { url: `s3://${name}/in` });
    expect((await readAll(await narrowed.open("deep/b.csv"))).bytes.toString()).toBe("in/deep/b.csv");
    await expectFailure(narrowed.open("root.csv"), "OBJECT_NOT_FOUND", "root.csv");
  });

  it("gives S3's ETag without quotes, the size and the time of each object", async () => {
    const name = await plain.createBucket();
    await plain.put(name, "a.csv", "abc");
    const [object] = await listAll(bucketOn(plain, { url: `s3://${name}` }));
    // MD5 of "abc": the ETag of a single-part upload.
    expect(object).toMatchObject({ key: "a.csv", etag: "900150983cd24fb0d6963f7d28e17f72", size: 3 });
    expect(Math.abs(object!.modifiedAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("addresses the local endpoint path-style by default, and when asked to", async () => {
    const name = await plain.createBucket();
    await plain.put(name, "dir/a b.csv", "x");
    for (const forcePathStyle of [undefined, true]) {
      const bucket = bucketOn(plain, {
        url: `s3://${name}/dir`,
        ...(forcePathStyle ? { forcePathStyle } : {}),
      });
      const before = (await plain.requests()).length;
      const [object] = await listAll(bucket);
      await readAll(await bucket.open(object!.key, { etag: object!.etag }));
      const sent = (await plain.requests()).slice(before);
      expect(sent.map((r) => r.url.split("?")[0])).toEqual([`/${name}/`, `/${name}/dir/a%20b.csv`]);
      for (const request of sent) expect(request.headers.host).toBe(new URL(plain.endpoint).host);
    }
  });

  it("sends If-Match and a Range, and a store that honours If-Match refuses a stale read with 412", async () => {
    const name = await strict.createBucket();
    await strict.put(name, "songs.csv", "id,lyrics\n1,one\n");
    const bucket = bucketOn(strict, { url: `s3://${name}` });
    const [first] = await listAll(bucket);
    const before = (await strict.requests()).length;
    expect(
      (await readAll(await bucket.open("songs.csv", { etag: first!.etag, start: 3 }))).bytes.toString(),
    ).toBe("lyrics\n1,one\n");
    const [read] = (await strict.requests()).slice(before);
    expect(read?.headers["if-match"]).toBe(`"${first!.etag}"`);
    expect(read?.headers.range).toBe("bytes=3-");

    await strict.put(name, "songs.csv", "id,lyrics\n1,two\n");
    const refused = (await strict.requests()).length;
    await expectFailure(bucket.open("songs.csv", { etag: first!.etag }), "OBJECT_CHANGED", "songs.csv");
    await expectFailure(
      bucket.open("songs.csv", { etag: first!.etag, start: 100 }),
      "OBJECT_CHANGED",
      "songs.csv",
    );
    const answers = (await strict.requests()).slice(refused);
    // Refused by the store itself, not caught afterwards by comparing ETags.
    expect(answers.map((r) => [r.method, r.headers["if-match"], r.status])).toEqual([
      ["GET", `"${first!.etag}"`, 412],
      ["GET", `"${first!.etag}"`, 412],
    ]);
    const [second] = await listAll(bucket);
    expect(
      (await readAll(await bucket.open("songs.csv", { etag: second!.etag }))).bytes.toString(),
    ).toContain("two");
  });

  it("fails the stream, not the open, when the connection breaks mid-object", async () => {
    const name = await plain.createBucket();
    const content = randomBytes(32 * 1024 * 1024);
    await plain.put(name, "big.csv", content);
    const bucket = bucketOn(plain, { url: `s3://${name}` });
    const [object] = await listAll(bucket);
    const stream = await bucket.open("big.csv", { etag: object!.etag });
    await new Promise((resolve) => stream.once("data", resolve));
    stream.pause();
    // The break may be reported before the read below starts (the stream is then destroyed with
    // the error, which the read still rejects with): listened to from now on, as the worker
    // listens, so that it does not reach the process as an uncaught error.
    stream.on("error", () => {});
    await plain.dropConnections();
    const error = await expectFailure(readAll(stream), "DEPENDENCY_UNAVAILABLE");
    expect(error.message).toMatch(/big\.csv/);
    // The next attempt, on a new connection, reads it whole.
    expect((await readAll(await bucket.open("big.csv", { etag: object!.etag }))).bytes.equals(content)).toBe(
      true,
    );
  });

  it("lets a reader stop early without keeping the connection busy", async () => {
    const name = await plain.createBucket();
    await plain.put(name, "big.csv", randomBytes(8 * 1024 * 1024));
    await plain.put(name, "small.csv", "small");
    const bucket = bucketOn(plain, { url: `s3://${name}` });
    for (let i = 0; i < 60; i++) {
      const stream = await bucket.open("big.csv");
      await new Promise((resolve) => stream.once("data", resolve));
      stream.destroy();
    }
    // Sixty abandoned reads would exhaust the SDK's fifty sockets if they stayed open.
    expect((await readAll(await bucket.open("small.csv"))).bytes.toString()).toBe("small");
  });

  it("reports a bucket that does not exist as an unavailable dependency, naming the store's code", async () => {
    const bucket = bucketOn(plain, { url: "s3://no-such-bucket-here/in" });
    const error = await expectFailure(listAll(bucket), "DEPENDENCY_UNAVAILABLE");
    expect(error.message).toContain("s3://no-such-bucket-here/in");
    expect(error.message).toContain("NoSuchBucket");
  });

  it("keeps credentials out of its url and its errors", async () => {
    const name = await plain.createBucket();
    await plain.put(name, "a.csv", "x");
    const accessKeyId = "AKIAVERSOTESTKEY0001";
    const secretAccessKey = "verso/test+secret/do-not-print-0123456789";
    const bucket = bucketOn(plain, { url: `s3://${name}/`, credentials: { accessKeyId, secretAccessKey } });
    expect(bucket.url).toBe(`s3://${name}`);
    const failures = [
      await expectFailure(listAll(bucket), "DEPENDENCY_UNAVAILABLE"),
      await expectFailure(bucket.open("a.csv"), "DEPENDENCY_UNAVAILABLE"),
    ];
    for (const error of failures) {
      // The store's answer names the access key; none of it may come through.
      expect(error.message).toContain("InvalidAccessKeyId");
      const everything = `${error.message} ${error.stack} ${JSON.stringify(error)} ${String(error.cause)}`;
      expect(everything).not.toContain(accessKeyId);
      expect(everything).not.toContain(secretAccessKey);
    }
  });

  it("refuses an endpoint or a URL that carries credentials, without repeating them", () => {
    for (const options of [
      { url: "s3://songs/in", endpoint: "http://minio:topsecret@127.0.0.1:9000" },
      { url: "s3://minio:topsecret@songs/in" },
      { url: "s3://topsecret@songs" },
    ]) {
      let error: unknown;
      try {
        createS3Bucket(options);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(VersoError);
      expect((error as VersoError).code).toBe("VALIDATION_FAILED");
      expect((error as VersoError).message).toMatch(/credentials/);
      expect((error as VersoError).message).not.toContain("topsecret");
    }
  });

  it("accepts s3://bucket and s3://bucket/prefix, and refuses anything else with VALIDATION_FAILED", () => {
    expect(parseS3Url("s3://songs")).toEqual({ bucket: "songs", keyPrefix: "", url: "s3://songs" });
    expect(parseS3Url("s3://songs/")).toEqual({ bucket: "songs", keyPrefix: "", url: "s3://songs" });
    expect(parseS3Url("s3://my.songs-2/in/2024/")).toEqual({
      bucket: "my.songs-2",
      keyPrefix: "in/2024/",
      url: "s3://my.songs-2/in/2024",
    });
    expect(parseS3Url("s3://songs/mis canciones/año").keyPrefix).toBe("mis canciones/año/");
    for (const url of [
      "songs/in",
      "file:///srv/songs",
      "http://songs/in",
      "s3://",
      "s3:///in",
      "s3://a",
      "s3://-songs",
      "s3://songs:9000/in",
      "s3://so ngs/in",
      "s3://songs//in",
      "s3://songs/in/../out",
      "s3://songs/./in",
      "s3://songs/in\\out",
    ]) {
      expect(() => parseS3Url(url), url).toThrow(VersoError);
      try {
        parseS3Url(url);
      } catch (error) {
        expect((error as VersoError).code, url).toBe("VALIDATION_FAILED");
        expect((error as VersoError).message, url).toMatch(/s3:\/\/bucket/);
      }
    }
    for (const endpoint of ["127.0.0.1:9000", "ftp://127.0.0.1", "http://127.0.0.1:9000/?x=1", "not a url"])
      expect(() => createS3Bucket({ url: "s3://songs", endpoint }), endpoint).toThrow(/S3 endpoint/);
    for (const pageSize of [0, 1001, 2.5])
      expect(() => createS3Bucket({ url: "s3://songs", pageSize })).toThrow(/page size/);
  });
});
