/** The README's configuration table and the settings Verso reads stay the same list. */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { settings } from "../../src/config.js";
import { packageRoot } from "../../src/paths.js";

const readme = fs.readFileSync(path.join(packageRoot, "README.md"), "utf8");
const table = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("### Scaling out"));

describe("the README", () => {
  it("lists every setting in its configuration table, and no setting that does not exist", () => {
    const documented = [...table.matchAll(/^\| `(VERSO_[A-Z0-9_]+)`\s*\|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(
      Object.values(settings)
        .map((s) => s.env)
        .sort(),
    );
  });
});
