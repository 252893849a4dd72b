import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { firstLoadFiles, measureFirstLoad, type Manifest } from "./entry-size.js";

const manifest: Manifest = {
  "index.html": {
    file: "assets/index-a1.js",
    isEntry: true,
    imports: ["_vendor-b2.js", "_shared-c3.js"],
    dynamicImports: ["src/Me.tsx"],
    css: ["assets/index-d4.css"],
  },
  "_vendor-b2.js": { file: "assets/vendor-b2.js", imports: ["_shared-c3.js"] },
  "_shared-c3.js": { file: "assets/shared-c3.js" },
  "src/Me.tsx": { file: "assets/Me-e5.js", imports: ["_vendor-b2.js", "_heavy-f6.js"] },
  "_heavy-f6.js": { file: "assets/heavy-f6.js" },
};

describe("the JavaScript of the first page", () => {
  it("is the entry and what it imports statically, each once; lazy pages are left out", () => {
    expect(firstLoadFiles(manifest)).toEqual([
      "assets/index-a1.js",
      "assets/vendor-b2.js",
      "assets/shared-c3.js",
    ]);
  });

  it("refuses a manifest without an entry, or one naming a chunk it lacks", () => {
    expect(() => firstLoadFiles({ a: { file: "a.js" } })).toThrow(/no entry/);
    expect(() =>
      firstLoadFiles({ "index.html": { file: "i.js", isEntry: true, imports: ["_gone.js"] } }),
    ).toThrow(/_gone\.js/);
  });

  it("measures their gzipped bytes from the built files", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "verso-size-"));
    try {
      fs.mkdirSync(path.join(out, ".vite"));
      fs.mkdirSync(path.join(out, "assets"));
      fs.writeFileSync(path.join(out, ".vite", "manifest.json"), JSON.stringify(manifest));
      const contents: Record<string, string> = {
        "assets/index-a1.js": "console.log('entry');".repeat(50),
        "assets/vendor-b2.js": "export const vendor = 1;".repeat(200),
        "assets/shared-c3.js": "export const shared = 2;",
        "assets/Me-e5.js": "x".repeat(100_000),
      };
      for (const [file, text] of Object.entries(contents)) fs.writeFileSync(path.join(out, file), text);
      const size = measureFirstLoad(out);
      const expected = ["assets/index-a1.js", "assets/vendor-b2.js", "assets/shared-c3.js"].map(
        (file) => gzipSync(contents[file]!, { level: 9 }).length,
      );
      expect(size.files.map((f) => f.gzipBytes)).toEqual(expected);
      expect(size.gzipBytes).toBe(expected.reduce((a, b) => a + b, 0));
      expect(size.bytes).toBe(
        contents["assets/index-a1.js"]!.length +
          contents["assets/vendor-b2.js"]!.length +
          contents["assets/shared-c3.js"]!.length,
      );
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
