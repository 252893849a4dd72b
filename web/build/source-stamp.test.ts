import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { buildIfChanged, sourceHash, type BuildIfChangedOptions } from "./source-stamp.js";

const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repositoryRoot = path.dirname(webRoot);

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

function write(file: string, content: string) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

/** A web folder of sources, a lockfile, an output folder and a build that counts its runs. */
function project() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "verso-web-build-"));
  folders.push(root);
  const webRoot = path.join(root, "web");
  write(path.join(webRoot, "index.html"), "<div id=root></div>");
  write(path.join(webRoot, "src", "main.tsx"), "render()");
  write(path.join(webRoot, "src", "main.test.tsx"), "test()");
  write(path.join(root, "package-lock.json"), '{"lockfileVersion":3}');
  const builds: string[] = [];
  const options: BuildIfChangedOptions = {
    webRoot,
    extraFiles: [path.join(root, "package-lock.json")],
    outDir: path.join(root, "dist", "web"),
    build: async (outDir) => {
      builds.push(outDir);
      write(path.join(outDir, "index.html"), "<script src=/assets/main.js></script>");
    },
  };
  return { root, webRoot, options, builds };
}

describe("buildIfChanged", () => {
  it("builds the first time and not the second when nothing changed", async () => {
    const { options, builds } = project();
    expect(await buildIfChanged(options)).toBe("built");
    expect(await buildIfChanged(options)).toBe("unchanged");
    expect(builds).toEqual([options.outDir]);
  });

  it("builds again when a source, a new file or the lockfile changed", async () => {
    const { root, webRoot, options, builds } = project();
    await buildIfChanged(options);
    write(path.join(webRoot, "src", "main.tsx"), "render(<App />)");
    expect(await buildIfChanged(options)).toBe("built");
    write(path.join(webRoot, "public", "favicon.svg"), "<svg/>");
    expect(await buildIfChanged(options)).toBe("built");
    write(path.join(root, "package-lock.json"), '{"lockfileVersion":3,"packages":{}}');
    expect(await buildIfChanged(options)).toBe("built");
    expect(await buildIfChanged(options)).toBe("unchanged");
    expect(builds).toHaveLength(4);
  });

  it("does not build again for a changed test, and builds when the output is gone or when forced", async () => {
    const { webRoot, options, builds } = project();
    await buildIfChanged(options);
    write(path.join(webRoot, "src", "main.test.tsx"), "test('more')");
    expect(await buildIfChanged(options)).toBe("unchanged");
    fs.rmSync(options.outDir, { recursive: true });
    expect(await buildIfChanged(options)).toBe("built");
    expect(await buildIfChanged({ ...options, force: true })).toBe("built");
    expect(builds).toHaveLength(3);
  });
});

describe("npm run build:web", () => {
  it("does not build the web app again into a folder built from the same sources", async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "verso-web-out-"));
    folders.push(outDir);
    // What a first build leaves: the page and the hash of the sources it was built from.
    const hash = sourceHash({ webRoot, extraFiles: [path.join(repositoryRoot, "package-lock.json")] });
    write(path.join(outDir, "index.html"), "<div id=root></div>");
    write(path.join(outDir, ".vite", "sources.sha256"), `${hash}\n`);
    const tsx = path.join(repositoryRoot, "node_modules", ".bin", "tsx");
    const script = path.join(webRoot, "build", "build-if-changed.ts");
    const { stdout } = await promisify(execFile)(tsx, [script, "--out-dir", outDir], { cwd: repositoryRoot });
    expect(stdout).toContain("web app unchanged since its last build");
    expect(fs.readdirSync(outDir).sort()).toEqual([".vite", "index.html"]);
  });
});
