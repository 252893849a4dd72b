import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fileSha256, sha256Of, verifyBytes, verifyFile, writeFileAtomically } from "./durable-file.js";

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "verso-durable-"));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe("writeFileAtomically", () => {
  it("writes a new file and replaces an old one, leaving no temporary file behind", async () => {
    const file = path.join(directory, "state.json");
    await writeFileAtomically(file, "first");
    expect(await readFile(file, "utf8")).toBe("first");
    await writeFileAtomically(file, "second, longer than the first");
    expect(await readFile(file, "utf8")).toBe("second, longer than the first");
    expect(await readdir(directory)).toEqual(["state.json"]);
  });

  it("leaves what was there and removes its temporary file when the rename fails", async () => {
    // A non-empty directory where the file should go: the rename over it is refused.
    const file = path.join(directory, "taken");
    await mkdir(file);
    await writeFile(path.join(file, "inside"), "kept");
    await expect(writeFileAtomically(file, "new content")).rejects.toThrow();
    expect(await readdir(directory)).toEqual(["taken"]);
    expect(await readFile(path.join(file, "inside"), "utf8")).toBe("kept");
  });
});

describe("verifyFile and verifyBytes", () => {
  const content = "a snapshot's bytes";

  it("accept content of the recorded length and checksum", async () => {
    const file = path.join(directory, "snapshot");
    await writeFile(file, content);
    expect(await fileSha256(file)).toBe(sha256Of(content));
    await expect(verifyFile(file, content.length, sha256Of(content))).resolves.toBeUndefined();
    expect(() =>
      verifyBytes("snapshot", Buffer.from(content), content.length, sha256Of(content)),
    ).not.toThrow();
  });

  it("refuse a truncated file, and one of the same length with other bytes", async () => {
    const file = path.join(directory, "snapshot");
    await writeFile(file, content.slice(0, 5));
    await expect(verifyFile(file, content.length, sha256Of(content))).rejects.toThrow(
      `snapshot: 5 bytes instead of ${content.length}`,
    );
    const altered = content.replace("a", "A");
    await writeFile(file, altered);
    await expect(verifyFile(file, content.length, sha256Of(content))).rejects.toThrow(
      "snapshot: checksum mismatch",
    );
    expect(() => verifyBytes("songs", Buffer.from(altered), content.length, sha256Of(content))).toThrow(
      "songs: checksum mismatch",
    );
    expect(() => verifyBytes("songs", Buffer.from("short"), content.length, sha256Of(content))).toThrow(
      `songs: 5 bytes instead of ${content.length}`,
    );
  });
});
