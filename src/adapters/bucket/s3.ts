/**
 * Bucket port on S3 or any S3-compatible store (MinIO, Ceph, R2, …) through the AWS SDK v3.
 *
 * "s3://bucket/prefix" names the objects under "prefix/"; keys are relative to it and follow the
 * folder bucket's rules (keys.ts), so the same files list as the same keys, in the same order,
 * wherever they are kept. The etag is S3's ETag without its quotes.
 *
 * Credentials come from the options or the SDK's standard provider chain, and never reach
 * `url` or an error message: errors name the bucket, the operation and the store's error code.
 */
import { Readable, Transform } from "node:stream";
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
  type GetObjectCommandOutput,
  type HeadObjectCommandOutput,
  type ListObjectsV2CommandOutput,
} from "@aws-sdk/client-s3";
import { VersoError } from "../../core/errors.js";
import type { Bucket, BucketObject, OpenOptions } from "../../core/ports.js";
import { assertKey, compareKeys, isCatalogKey, keyProblem, refusedKey } from "./keys.js";
import { objectChanged, objectNotFound, readRequest, startBeyondEnd } from "./reads.js";

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface S3BucketOptions {
  /** "s3://bucket" or "s3://bucket/prefix", written as the AWS CLI writes it (not percent-encoded). */
  url: string;
  /** The base URL of an S3-compatible store, e.g. "http://127.0.0.1:9000"; AWS itself when absent. */
  endpoint?: string;
  /** Address objects as endpoint/bucket/key instead of bucket.endpoint/key; default: only with an endpoint. */
  forcePathStyle?: boolean;
  /** Default: the SDK's chain (AWS_REGION, the profile's region). */
  region?: string;
  /** Default: the SDK's provider chain (environment, profile, SSO, web identity, instance or task role). */
  credentials?: S3Credentials;
  /** Objects asked for per ListObjectsV2 request, 1 to 1000 (S3's own limit and default). */
  pageSize?: number;
  /** Milliseconds allowed to open a connection (default 10 s). */
  connectTimeoutMs?: number;
  /**
   * Milliseconds a connection may carry no byte before it counts as broken (default 5 min). It
   * also runs while the reader pauses, so it must outlast the worker's longest pause.
   */
  idleTimeoutMs?: number;
}

export interface S3Bucket extends Bucket {
  /** Closes the connections it keeps open. */
  close(): void;
}

export interface S3Location {
  bucket: string;
  /** "" for the whole bucket, otherwise the prefix with one trailing "/". */
  keyPrefix: string;
  /** The canonical "s3://bucket/prefix", without a trailing "/". */
  url: string;
}

const MAX_PAGE = 1000;

export function createS3Bucket(options: S3BucketOptions): S3Bucket {
  const { bucket, keyPrefix, url } = parseS3Url(options.url);
  const endpoint = options.endpoint === undefined ? undefined : checkEndpoint(options.endpoint);
  const pageSize = options.pageSize ?? MAX_PAGE;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE)
    throw invalid(`S3 page size must be a whole number from 1 to ${MAX_PAGE}`);
  const secrets = options.credentials
    ? [options.credentials.accessKeyId, options.credentials.secretAccessKey, options.credentials.sessionToken]
    : [];

  const client = new S3Client({
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    forcePathStyle: options.forcePathStyle ?? endpoint !== undefined,
    // On AWS, a bucket in another region than the one configured is still reached.
    followRegionRedirects: true,
    requestHandler: {
      connectionTimeout: options.connectTimeoutMs ?? 10_000,
      socketTimeout: options.idleTimeoutMs ?? 300_000,
    },
  });

  const failure = (doing: string, error: unknown): VersoError =>
    new VersoError("DEPENDENCY_UNAVAILABLE", `bucket ${url}: ${doing} failed: ${describe(error, secrets)}`);

  async function* list(): AsyncIterable<BucketObject> {
    // The whole listing is gathered and sorted before the first object is given out: not every
    // S3-compatible store lists in S3's byte order (directory buckets and some emulators do
    // not), and the port promises one order whatever the store.
    const objects: BucketObject[] = [];
    const tokens = new Set<string>();
    for (let token: string | undefined; ;) {
      let page: ListObjectsV2CommandOutput;
      try {
        page = await client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            MaxKeys: pageSize,
            ...(keyPrefix === "" ? {} : { Prefix: keyPrefix }),
            ...(token === undefined ? {} : { ContinuationToken: token }),
          }),
        );
      } catch (error) {
        throw failure("listing", error);
      }
      for (const entry of page.Contents ?? []) {
        if (entry.Key === undefined || !entry.Key.startsWith(keyPrefix)) continue;
        const key = entry.Key.slice(keyPrefix.length);
        if (!isCatalogKey(key)) continue;
        const refused = refusedKey(key);
        if (refused) {
          objects.push({ ...refused, size: entry.Size ?? 0, modifiedAt: entry.LastModified ?? new Date(0) });
          continue;
        }
        if (entry.ETag === undefined || entry.Size === undefined || entry.LastModified === undefined)
          throw failure(
            "listing",
            new Error(`the store listed ${JSON.stringify(key)} without ETag, Size or LastModified`),
          );
        objects.push({ key, etag: unquote(entry.ETag), size: entry.Size, modifiedAt: entry.LastModified });
      }
      if (!page.IsTruncated) break;
      token = page.NextContinuationToken;
      // A store that gives no token, or one it gave before, would make the crawl endless.
      if (token === undefined || tokens.has(token))
        throw failure("listing", new Error("the store's continuation token does not move the listing on"));
      tokens.add(token);
    }
    objects.sort((a, b) => compareKeys(a.key, b.key));
    for (let i = 0; i < objects.length; i++) {
      const object = objects[i]!;
      if (i > 0 && objects[i - 1]!.key === object.key) continue;
      yield object;
    }
  }

  async function open(key: string, options?: OpenOptions): Promise<Readable> {
    assertKey(url, key);
    const { etag, start } = readRequest(url, key, options);
    const conditions = {
      Bucket: bucket,
      Key: keyPrefix + key,
      // An etag that cannot be sent as a header cannot be the object's either: the comparison
      // with the ETag of the answer then reports the change.
      ...(etag !== undefined && sendableEtag(etag) ? { IfMatch: `"${etag}"` } : {}),
    };
    let response: GetObjectCommandOutput;
    try {
      response = await client.send(
        new GetObjectCommand({ ...conditions, ...(start > 0 ? { Range: `bytes=${start}-` } : {}) }),
      );
    } catch (error) {
      // S3 answers a range that starts at the end with 416, where the port reads nothing.
      if (statusOf(error) === 416) return atEnd(key, etag, start, conditions);
      throw readFailure(key, error);
    }
    const body = response.Body;
    if (!(body instanceof Readable)) {
      destroyBody(body);
      throw failure(`reading ${JSON.stringify(key)}`, new Error("the SDK gave no Node.js stream"));
    }
    try {
      checkVersion(key, etag, response);
    } catch (error) {
      body.destroy();
      throw error;
    }
    return guard(body, key, response.ContentLength);
  }

  /** A read that starts at or after the end: nothing to read, or no such place to start. */
  async function atEnd(
    key: string,
    etag: string | undefined,
    start: number,
    conditions: { Bucket: string; Key: string; IfMatch?: string },
  ): Promise<Readable> {
    let head: HeadObjectCommandOutput;
    try {
      head = await client.send(new HeadObjectCommand(conditions));
    } catch (error) {
      throw readFailure(key, error);
    }
    checkVersion(key, etag, head);
    const size = head.ContentLength ?? 0;
    if (start > size) throw startBeyondEnd(url, key, start, size);
    // It grew between the two requests: another version than the one the range was refused for.
    if (start < size) throw objectChanged(url, key);
    // A byte stream like every other read, not Readable.from's object mode.
    return new Readable({
      read() {
        this.push(null);
      },
    });
  }

  /** Stores that ignore If-Match still send the ETag of what they serve: a mismatch is a change. */
  function checkVersion(key: string, etag: string | undefined, answer: { ETag?: string | undefined }): void {
    if (etag === undefined) return;
    if (answer.ETag === undefined)
      throw failure(
        `reading ${JSON.stringify(key)}`,
        new Error("the store sent no ETag to confirm the version"),
      );
    if (unquote(answer.ETag) !== etag) throw objectChanged(url, key);
  }

  function readFailure(key: string, error: unknown): VersoError {
    const status = statusOf(error);
    const name = error instanceof Error ? error.name : "";
    if (status === 404 && (name === "NoSuchKey" || name === "NotFound")) return objectNotFound(url, key);
    if (status === 412) return objectChanged(url, key);
    return failure(`reading ${JSON.stringify(key)}`, error);
  }

  /**
   * The body as the worker reads it: a connection that breaks, or ends before the length the
   * store announced, fails the stream with DEPENDENCY_UNAVAILABLE (a transient failure the
   * queue retries) rather than ending it as if the object were shorter.
   */
  function guard(body: Readable, key: string, expected: number | undefined): Readable {
    let received = 0;
    const broken = (why: unknown) => failure(`reading ${JSON.stringify(key)} after ${received} bytes`, why);
    const output = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        callback(null, chunk);
      },
      flush(callback) {
        if (expected === undefined || received === expected) callback();
        else callback(broken(new Error(`the store announced ${expected} bytes and sent ${received}`)));
      },
    });
    body.on("error", (error) => output.destroy(broken(error)));
    // A reader that stops early must not leave the connection streaming into nothing.
    output.once("close", () => body.destroy());
    body.pipe(output);
    return output;
  }

  return { url, list, open, close: () => client.destroy() };
}

/** Parses "s3://bucket/prefix"; VALIDATION_FAILED, naming what is wrong, for anything else. */
export function parseS3Url(url: string): S3Location {
  const usage = "an S3 bucket URL looks like s3://bucket or s3://bucket/prefix";
  if (typeof url !== "string") throw invalid(usage);
  // Never echoed: whatever stands before an "@" may be a key pasted into the wrong setting.
  if (url.includes("@")) throw invalid(`${usage}, without credentials (give those in their own settings)`);
  const match = /^s3:\/\/([^/]*)(?:\/(.*))?$/s.exec(url);
  if (!match) throw invalid(`${usage}; got ${JSON.stringify(url)}`);
  const bucket = match[1] ?? "";
  // S3's naming rules, with the capitals and underscores of buckets made before 2018.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{1,253}[A-Za-z0-9]$/.test(bucket))
    throw invalid(`${usage}; ${JSON.stringify(bucket)} is not a bucket name`);
  const prefix = (match[2] ?? "").replace(/\/+$/, "");
  if (prefix !== "") {
    const problem = keyProblem(prefix);
    if (problem !== undefined) throw invalid(`${usage}; the prefix ${JSON.stringify(prefix)}: ${problem}`);
  }
  return {
    bucket,
    keyPrefix: prefix === "" ? "" : `${prefix}/`,
    url: prefix === "" ? `s3://${bucket}` : `s3://${bucket}/${prefix}`,
  };
}

function checkEndpoint(endpoint: string): string {
  const usage = "an S3 endpoint looks like http://host:port or https://host";
  let parsed: URL;
  try {
    parsed = new URL(endpoint);
  } catch {
    throw invalid(`${usage}`);
  }
  if (parsed.username !== "" || parsed.password !== "")
    throw invalid(`${usage}, without credentials (give those in their own settings)`);
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    throw invalid(`${usage}; it must be http or https, not ${parsed.protocol}`);
  if (parsed.search !== "" || parsed.hash !== "") throw invalid(`${usage}, without a query or fragment`);
  return endpoint;
}

function invalid(message: string): VersoError {
  return new VersoError("VALIDATION_FAILED", message);
}

/** An ETag as S3 sends it ("…", or W/"…" through some proxies) reduced to its opaque value. */
function unquote(etag: string): string {
  return etag.replace(/^W\//, "").replace(/^"(.*)"$/s, "$1");
}

/** Whether an etag fits inside the quotes of an If-Match header (RFC 9110 etagc). */
function sendableEtag(etag: string): boolean {
  return /^[\x21\x23-\x7e]+$/.test(etag);
}

function statusOf(error: unknown): number | undefined {
  return error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
}

/**
 * What went wrong, without what a store's error can carry besides (its XML body names the
 * access key, the string that was signed): the error code and HTTP status for an answer from
 * the store, the message for a failure on this side, with any configured secret blanked out.
 */
function describe(error: unknown, secrets: readonly (string | undefined)[]): string {
  let text: string;
  if (error instanceof S3ServiceException) {
    const status = error.$metadata.httpStatusCode;
    text = `${error.name}${status === undefined ? "" : ` (HTTP ${status})`}`;
  } else if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    text = `${error.name}${code === undefined ? "" : ` ${code}`}: ${error.message}`;
  } else {
    text = String(error);
  }
  for (const secret of secrets) if (secret) text = text.split(secret).join("[redacted]");
  return text;
}

function destroyBody(body: unknown): void {
  if (body && typeof (body as { destroy?: unknown }).destroy === "function") (body as Readable).destroy();
}
