/**
 * A real S3-compatible server for the S3 bucket's tests: s3rver in a child process
 * (s3rver-process.ts says why it needs one), on 127.0.0.1 and a free port, storing in a
 * temporary folder that goes when it stops.
 *
 * With `honourIfMatch` it refuses a stale If-Match with 412 as S3 does; without, it serves the
 * read as s3rver does, so both kinds of store can be tested.
 */
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { packageRoot } from "../../src/paths.js";
import type { Command, ReceivedRequest, Reply } from "./s3rver-process.js";

export type { ReceivedRequest } from "./s3rver-process.js";

export interface S3TestServer {
  endpoint: string;
  region: string;
  /** The one key pair s3rver accepts (it checks the key id, not the signature). */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** A client for arranging test data, path-style. */
  client: S3Client;
  /** Every request the server has received so far, in order. */
  requests(): Promise<ReceivedRequest[]>;
  /** Makes a bucket with a name no other test uses. */
  createBucket(): Promise<string>;
  put(bucket: string, key: string, content: string | Buffer): Promise<void>;
  /** Cuts every open connection, as a network failure or a crashed store would. */
  dropConnections(): Promise<void>;
  stop(): Promise<void>;
}

// The TypeScript source, run by tsx, also when this file runs compiled (benchmarks under dist).
const serverProcess = path.join(packageRoot, "test", "support", "s3rver-process.ts");

export async function startS3Server(options: { honourIfMatch?: boolean } = {}): Promise<S3TestServer> {
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), "verso-s3rver-"));
  const child = fork(serverProcess, [directory, options.honourIfMatch ? "honour-if-match" : "plain"], {
    cwd: packageRoot,
    execArgv: ["--openssl-legacy-provider", "--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let port: number;
  try {
    port = await ready(child);
  } catch (error) {
    child.kill();
    await fs.rm(directory, { recursive: true, force: true });
    throw error;
  }

  let nextId = 0;
  const pending = new Map<number, (reply: Reply) => void>();
  child.on("message", (reply: Reply) => {
    if ("id" in reply) pending.get(reply.id)?.(reply);
  });
  const call = (command: Command["command"]) =>
    new Promise<Reply>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, (reply) => {
        pending.delete(id);
        resolve(reply);
      });
      child.send({ id, command } satisfies Command, (error) => error && reject(error));
    });

  const endpoint = `http://127.0.0.1:${port}`;
  const region = "us-east-1";
  const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
  const client = new S3Client({
    endpoint,
    region,
    credentials,
    forcePathStyle: true,
    // s3rver would store an aws-chunked body as it comes, framing included.
    requestChecksumCalculation: "WHEN_REQUIRED",
  });

  return {
    endpoint,
    region,
    credentials,
    client,
    async requests() {
      const reply = await call("requests");
      return "requests" in reply ? reply.requests : [];
    },
    async createBucket() {
      const name = `verso-${process.pid}-${randomBytes(4).toString("hex")}`;
      await client.send(new CreateBucketCommand({ Bucket: name }));
      return name;
    },
    async put(bucket, key, content) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from(content) }));
    },
    async dropConnections() {
      await call("drop-connections");
    },
    async stop() {
      client.destroy();
      const exited = new Promise((resolve) => child.once("exit", resolve));
      if (child.connected) await call("stop");
      await exited;
      await fs.rm(directory, { recursive: true, force: true });
    },
  };
}

function ready(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("s3rver did not start within 30 s")), 30_000);
    child.once("message", (reply: Reply) => {
      clearTimeout(timer);
      if ("ready" in reply) resolve(reply.port);
      else reject(new Error("s3rver answered before it was ready"));
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited with code ${code} before it was ready`));
    });
  });
}
