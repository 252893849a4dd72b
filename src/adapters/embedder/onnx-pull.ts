/**
 * Downloads a known ONNX model from the Hugging Face hub (or a mirror in its URL layout,
 * `<hub>/<repo>/resolve/<revision>/<file>`) into the data folder, once.
 *
 * Files are written into a staging folder beside the models; a broken transfer is taken up
 * again where it stopped with a Range request, in the same pull or the next one. Each file's
 * size and SHA-256 are checked (the catalog's figures where it states them, else the hub's own
 * for its large files), and the staging folder becomes the model's folder by one rename only
 * when every file holds: a model folder is whole or absent.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { KnownModel, ModelFile } from "../../core/embedding-models.js";
import { placedModelFile } from "./onnx-folder.js";

export interface PullProgress {
  file: string;
  /** Bytes of this file on disk. */
  done: number;
  /** Its size, when the hub says. */
  total: number | undefined;
}

export interface PullOptions {
  hubUrl: string;
  /** The data folder's models folder: each model in a folder of its name. */
  modelsDir: string;
  /** VERSO_OFFLINE: refuse before reaching the network. */
  offline: boolean;
  onProgress?: (progress: PullProgress) => void;
  /** Transfers of one file taken up again after a break (default 5). */
  resumes?: number;
  signal?: AbortSignal;
}

export class ModelPullError extends Error {
  override name = "ModelPullError";
}

/** Where pulled models live in a data folder. */
export const modelsDirOf = (dataDir: string): string => path.resolve(dataDir, "models");

export const modelFolder = (modelsDir: string, name: string): string => path.join(modelsDir, name);

/** Pulls the model unless its folder is already in place; answers the folder. */
export async function pullModel(model: KnownModel, options: PullOptions): Promise<string> {
  const folder = modelFolder(options.modelsDir, model.name);
  if (await exists(path.join(folder, placedModelFile))) return folder;
  if (options.offline) {
    throw new ModelPullError(
      `the model ${model.name} is not in ${options.modelsDir}, and VERSO_OFFLINE=true forbids fetching it: ` +
        `pull it on a connected machine (verso model pull ${model.name}) and copy the folder, or name a folder with onnx:/path`,
    );
  }
  const staging = path.join(options.modelsDir, `.pull-${model.name}`);
  for (const file of model.hub.files) {
    const url = `${options.hubUrl.replace(/\/+$/, "")}/${model.hub.repo}/resolve/${model.hub.revision}/${file.path}`;
    await fetchVerified(url, file, path.join(staging, file.path), options);
  }
  const placed = {
    name: model.name,
    repo: model.hub.repo,
    revision: model.hub.revision,
    pulledAt: new Date(),
  };
  await writeFile(path.join(staging, placedModelFile), JSON.stringify(placed, null, 2) + "\n");
  await rm(folder, { recursive: true, force: true });
  await rename(staging, folder);
  return folder;
}

/** Size and SHA-256 a file must have: the catalog's, else what the hub states. */
async function expectations(url: string, file: ModelFile, signal: AbortSignal | undefined) {
  const head = await fetch(url, { method: "HEAD", redirect: "manual", ...(signal ? { signal } : {}) });
  if (head.status >= 400) throw new ModelPullError(`${url} answered ${head.status} ${head.statusText}`);
  // The hub answers a large (LFS) file with a redirect carrying its SHA-256 and size; a small
  // one with the file's own headers, whose ETag is a git hash, not a SHA-256.
  const linkedHash = head.headers.get("x-linked-etag")?.replaceAll('"', "").toLowerCase();
  const bytes = (header: string) => {
    const value = Number(head.headers.get(header) ?? NaN);
    return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  };
  return {
    size: file.size ?? bytes("x-linked-size") ?? (head.status < 300 ? bytes("content-length") : undefined),
    sha256: file.sha256 ?? (linkedHash && /^[0-9a-f]{64}$/.test(linkedHash) ? linkedHash : undefined),
  };
}

async function fetchVerified(url: string, file: ModelFile, target: string, options: PullOptions) {
  const expected = await expectations(url, file, options.signal);
  await mkdir(path.dirname(target), { recursive: true });
  let breaks = 0;
  for (;;) {
    const have = (await sizeOf(target)) ?? 0;
    if (expected.size !== undefined && have > expected.size) await rm(target);
    else if (expected.size !== undefined && have === expected.size) break;
    try {
      await transfer(url, target, expected.size, options);
      if (expected.size === undefined || ((await sizeOf(target)) ?? 0) >= expected.size) break;
      throw new Error("the body ended early");
    } catch (error) {
      if (options.signal?.aborted || error instanceof ModelPullError) throw error;
      breaks += 1;
      if (breaks > (options.resumes ?? 5)) {
        throw new ModelPullError(
          `${url}: the transfer broke ${breaks} times (${String(error)}); pull again to resume`,
        );
      }
    }
  }
  const size = (await sizeOf(target)) ?? 0;
  const sha256 = await hashOf(target);
  const wrong =
    expected.size !== undefined && size !== expected.size
      ? `${size} bytes, not ${expected.size}`
      : expected.sha256 !== undefined && sha256 !== expected.sha256
        ? `SHA-256 ${sha256}, not ${expected.sha256}`
        : undefined;
  if (wrong) {
    // A corrupt file is never resumed from: the next pull starts it over.
    await rm(target, { force: true });
    throw new ModelPullError(`${file.path} of ${url} is corrupt (${wrong}); refused`);
  }
}

/**
 * Appends the rest of the file to what is on disk; a server that ignores the Range header
 * sends the whole file, which then replaces the part.
 */
async function transfer(url: string, target: string, total: number | undefined, options: PullOptions) {
  const have = (await sizeOf(target)) ?? 0;
  const response = await fetch(url, {
    headers: have > 0 ? { range: `bytes=${have}-` } : {},
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (response.status === 416) return;
  if (!response.ok || !response.body)
    throw new ModelPullError(`${url} answered ${response.status} ${response.statusText}`);
  const append = response.status === 206;
  const handle = await open(target, append ? "a" : "w");
  let done = append ? have : 0;
  try {
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      await handle.write(chunk);
      done += chunk.byteLength;
      options.onProgress?.({ file: path.basename(target), done, total });
    }
  } finally {
    await handle.close();
  }
}

async function hashOf(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch {
    return undefined;
  }
}

async function exists(file: string): Promise<boolean> {
  return (await sizeOf(file)) !== undefined;
}
