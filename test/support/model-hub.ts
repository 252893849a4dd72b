/**
 * A stand-in for the Hugging Face hub on 127.0.0.1, in its URL layout: GET or HEAD
 * `/<repo>/resolve/<revision>/<file>`. A large file (.onnx) is answered as the hub answers an
 * LFS file: a redirect carrying X-Linked-Etag (its SHA-256) and X-Linked-Size, to a place that
 * serves the bytes and honours Range. Tests can break a transfer halfway or serve wrong bytes.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export interface ModelHub {
  url: string;
  /** Every request, as "METHOD path range". */
  requests: string[];
  /** The next transfers of this file stop after half its bytes, the connection cut. */
  breakNext(file: string, times?: number): void;
  /** Answer every request with the whole file, as a server without Range support does. */
  ignoreRanges(ignore: boolean): void;
  /** This file is served with one byte changed (or again as it is), the headers stating the true hash. */
  corrupt(file: string, corrupted?: boolean): void;
  close(): Promise<void>;
}

/** Serves `folder`'s files as the repository `repo` at revision `revision`. */
export async function startModelHub(repo: string, revision: string, folder: string): Promise<ModelHub> {
  const requests: string[] = [];
  const breaks = new Map<string, number>();
  const corrupted = new Set<string>();
  let rangesIgnored = false;
  const prefix = `/${repo}/resolve/${revision}/`;

  const server = http.createServer((request, response) => {
    const url = decodeURIComponent(request.url ?? "");
    requests.push(`${request.method} ${url} ${request.headers.range ?? ""}`.trim());
    const lfs = url.startsWith("/lfs/");
    const file = lfs
      ? url.slice("/lfs/".length)
      : url.startsWith(prefix)
        ? url.slice(prefix.length)
        : undefined;
    const source = file && path.join(folder, file);
    if (!source || !fs.existsSync(source)) return void response.writeHead(404).end("Entry not found");
    const bytes = fs.readFileSync(source);
    if (!lfs && file.endsWith(".onnx")) {
      return void response
        .writeHead(302, {
          location: `/lfs/${file}`,
          "x-linked-etag": `"${createHash("sha256").update(bytes).digest("hex")}"`,
          "x-linked-size": String(bytes.length),
        })
        .end();
    }
    const served = corrupted.has(file) ? Buffer.from(bytes) : bytes;
    if (corrupted.has(file)) served[served.length >> 1]! ^= 0xff;
    const start = rangesIgnored ? 0 : Number(/^bytes=(\d+)-$/.exec(request.headers.range ?? "")?.[1] ?? 0);
    const headers = { "content-length": String(served.length - start), "accept-ranges": "bytes" };
    if (start > 0) {
      response.writeHead(206, {
        ...headers,
        "content-range": `bytes ${start}-${served.length - 1}/${served.length}`,
      });
    } else response.writeHead(200, headers);
    if (request.method === "HEAD") return void response.end();
    const left = breaks.get(file) ?? 0;
    if (left > 0) {
      breaks.set(file, left - 1);
      const half = start + ((served.length - start) >> 1);
      // The cut comes a moment after the bytes: a stream that errors drops what its reader has
      // not taken yet, and the test is of resuming from what reached the disk.
      response.write(served.subarray(start, half), () => setTimeout(() => response.destroy(), 200));
      return;
    }
    response.end(served.subarray(start));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    breakNext: (file, times = 1) => void breaks.set(file, times),
    ignoreRanges: (ignore) => void (rangesIgnored = ignore),
    corrupt: (file, on = true) => void (on ? corrupted.add(file) : corrupted.delete(file)),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
