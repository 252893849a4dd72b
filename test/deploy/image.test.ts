/**
 * The container image, checked without a Docker engine (none runs here): what the Dockerfile
 * says is read and held to its promises, the build context is computed from .dockerignore,
 * and the HEALTHCHECK command is run against a real HTTP server.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { modelsDirOf } from "../../src/adapters/embedder/onnx-pull.js";
import {
  dockerIgnore,
  packageJson,
  pinnedImage,
  readRepoFile,
  repoRoot,
  runAsync,
  stubServer,
} from "./support.js";

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  base: string;
  name?: string;
  instructions: Instruction[];
}

function parseDockerfile(text: string): { args: Map<string, string>; stages: Stage[] } {
  const lines = text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword = "", rest = ""] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = keyword.toUpperCase();
    if (upper === "ARG" && stages.length === 0) {
      const [name = "", value = ""] = rest.split("=", 2);
      args.set(name, value);
    } else if (upper === "FROM") {
      const [image = "", , name] = rest.replace(/--platform=\S+\s+/, "").split(/\s+/);
      const base = image.replace(/\$\{?(\w+)\}?/g, (_, n: string) => args.get(n) ?? "");
      stages.push({ base, ...(name ? { name } : {}), instructions: [] });
    } else {
      const stage = stages[stages.length - 1];
      if (!stage) throw new Error(`${keyword} before any FROM`);
      stage.instructions.push({ keyword: upper, args: rest });
    }
  }
  return { args, stages };
}

const execForm = (args: string): string[] => {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === "string"))
    throw new Error(`not exec form: ${args}`);
  return parsed as string[];
};

const dockerfile = parseDockerfile(readRepoFile("Dockerfile"));
const finalStage = dockerfile.stages[dockerfile.stages.length - 1]!;
const ofKind = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);
const stageNamed = (name: string) => dockerfile.stages.find((s) => s.name === name);
const ignored = dockerIgnore(readRepoFile(".dockerignore"));

describe("Dockerfile", () => {
  it("builds in stages from base images pinned by version", () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of dockerfile.stages) {
      if (stageNamed(stage.base)) continue;
      expect(pinnedImage(stage.base), `FROM ${stage.base}`).toBe(true);
    }
  });

  it("runs the Node.js that package.json asks for", () => {
    const wanted = /^>=\s*(\d+)\.(\d+)/.exec(packageJson.engines.node);
    expect(wanted).not.toBeNull();
    for (const stage of dockerfile.stages.filter((s) => !stageNamed(s.base))) {
      const [, major, minor] = /^node:(\d+)\.(\d+)\.\d+/.exec(stage.base) ?? [];
      expect(Number(major), stage.base).toBe(Number(wanted![1]));
      expect(Number(minor), stage.base).toBeGreaterThanOrEqual(Number(wanted![2]));
    }
  });

  it("ships production dependencies only, the built server and web app, and the demo catalog", () => {
    const copies = ofKind(finalStage, "COPY").map((c) => c.args);
    const fromStage = (what: string) => {
      const copy = copies.find((c) => new RegExp(`^--from=\\S+\\s+\\S*${what}\\s`).test(c));
      expect(copy, `a COPY of ${what} from another stage`).toBeDefined();
      return stageNamed(/^--from=(\S+)/.exec(copy!)![1]!)!;
    };
    const runs = (stage: Stage) => ofKind(stage, "RUN").map((r) => r.args);

    const depsStage = fromStage("node_modules");
    expect(runs(depsStage).some((r) => /npm ci\b.*--omit=dev/.test(r))).toBe(true);
    const buildStage = fromStage("dist");
    expect(runs(buildStage).some((r) => /npm run build\b/.test(r))).toBe(true);
    // The build script makes the web app as well as the server, both under dist/.
    expect(packageJson as unknown as { scripts: Record<string, string> }).toMatchObject({
      scripts: { build: expect.stringMatching(/build:web/) },
    });
    expect(copies).toContain("data/demo ./data/demo");
    // Nothing in the final stage installs: no dev dependency can get in there.
    expect(runs(finalStage).filter((r) => /npm (ci|install|i)\b/.test(r))).toEqual([]);
  });

  it("copies from the build context only files that exist and that .dockerignore lets in", () => {
    for (const stage of dockerfile.stages) {
      for (const copy of ofKind(stage, "COPY").filter((c) => !c.args.startsWith("--from"))) {
        const parts = copy.args.replace(/--\S+\s+/g, "").split(/\s+/);
        for (const source of parts.slice(0, -1)) {
          expect(fs.existsSync(path.join(repoRoot, source)), `COPY ${source}`).toBe(true);
          expect(ignored(source), `COPY ${source} is excluded by .dockerignore`).toBe(false);
        }
      }
    }
  });

  it("runs as a numeric non-root user, with the data folder as a volume", () => {
    const users = ofKind(finalStage, "USER").map((u) => u.args);
    expect(users.length).toBeGreaterThan(0);
    const user = users[users.length - 1]!;
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(user.split(":")[0]).not.toBe("0");

    const env = ofKind(finalStage, "ENV")
      .map((e) => e.args)
      .join(" ");
    const dataDir = /VERSO_DATA_DIR=(\S+)/.exec(env)?.[1];
    expect(dataDir).toBeDefined();
    const volumes = ofKind(finalStage, "VOLUME").flatMap((v) => execForm(v.args));
    expect(volumes).toContain(dataDir);
    // The folder exists and belongs to that user before the volume is mounted over it.
    expect(ofKind(finalStage, "RUN").some((r) => r.args.includes(`chown ${user} ${dataDir}`))).toBe(true);
  });

  it("bakes a known ONNX model in when the build argument names one, and embeds with it; the built-in model otherwise", () => {
    const model = stageNamed("model")!;
    expect(ofKind(model, "ARG").map((a) => a.args)).toContain('VERSO_MODEL=""');
    const pull = ofKind(model, "RUN")
      .map((r) => r.args)
      .find((r) => r.includes("model pull"));
    expect(pull).toMatch(
      /if \[ -n "\$VERSO_MODEL" \]; then\s+node bin\/verso\.js model pull "\$VERSO_MODEL" --data-dir \/opt\/verso /,
    );
    expect(ofKind(finalStage, "COPY").map((c) => c.args)).toContain(
      "--from=model /opt/verso/models /opt/verso/models",
    );
    expect(ofKind(finalStage, "ARG").map((a) => a.args)).toContain('VERSO_MODEL=""');
    const embedder = /VERSO_EMBEDDER=(\S+)/.exec(
      ofKind(finalStage, "ENV")
        .map((e) => e.args)
        .join(" "),
    )![1]!;
    // Docker's ${name:+word} and ${name:-word}, with the build argument given or not.
    const expand = (value: string) =>
      embedder.replace(/\$\{VERSO_MODEL:([+-])([^}]*)\}/g, (_, op: string, word: string) =>
        op === "+" ? (value ? word : "") : value || word,
      );
    expect(expand("")).toBe("use-lite");
    expect(expand("multilingual-e5-small")).toBe("onnx:/opt/verso/models/multilingual-e5-small");
    // The pulled folder is where `verso model pull --data-dir /opt/verso` puts it.
    expect(modelsDirOf("/opt/verso")).toBe("/opt/verso/models");
  });

  it("starts `verso serve` through the package's own bin", () => {
    const entrypoint = ofKind(finalStage, "ENTRYPOINT").map((e) => execForm(e.args));
    const cmd = ofKind(finalStage, "CMD").map((c) => execForm(c.args));
    const argv = [...(entrypoint[entrypoint.length - 1] ?? []), ...(cmd[cmd.length - 1] ?? [])];
    expect(argv).toEqual(["node", packageJson.bin.verso, "serve"]);
    expect(fs.existsSync(path.join(repoRoot, packageJson.bin.verso))).toBe(true);
    // bin/verso.js loads the build, and the build's package root is found by package.json.
    expect(ofKind(finalStage, "COPY").map((c) => c.args)).toEqual(
      expect.arrayContaining(["package.json ./", "bin ./bin"]),
    );
  });

  describe("HEALTHCHECK", () => {
    const healthcheck = ofKind(finalStage, "HEALTHCHECK")[0];
    const command = execForm(/CMD\s+(\[.*\])\s*$/.exec(healthcheck?.args ?? "")?.[1] ?? "null");
    const servers: { close(): Promise<void> }[] = [];
    afterEach(async () => {
      await Promise.all(servers.splice(0).map((s) => s.close()));
    });

    it("asks /healthz on VERSO_PORT and passes on 200", async () => {
      expect(command[0]).toBe("node");
      const server = await stubServer(200);
      servers.push(server);
      const ran = await runAsync(command[0]!, command.slice(1), {
        env: { ...process.env, VERSO_PORT: String(server.port) },
      });
      expect(ran.code).toBe(0);
      expect(server.paths).toEqual(["/healthz"]);
    });

    it("fails on an error status and when nothing answers", async () => {
      const server = await stubServer(503);
      servers.push(server);
      const failing = await runAsync(command[0]!, command.slice(1), {
        env: { ...process.env, VERSO_PORT: String(server.port) },
      });
      expect(failing.code).toBe(1);
      await server.close();
      servers.pop();
      const nobody = await runAsync(command[0]!, command.slice(1), {
        env: { ...process.env, VERSO_PORT: String(server.port) },
      });
      expect(nobody.code).toBe(1);
    });
  });
});

describe(".dockerignore", () => {
  it("keeps installed modules, builds, data, tests and git out of the build context", () => {
    for (const excluded of [
      "node_modules",
      "node_modules/fastify/package.json",
      "web/node_modules/x.js",
      "dist/src/cli.js",
      "data/verso.db",
      "data/bucket/songs.csv",
      "data/vectors/index.usearch",
      "test/e2e/worker-kill.test.ts",
      "src/http/session.test.ts",
      "web/src/test/setup.ts",
      "coverage/index.html",
      ".git/HEAD",
      ".env",
    ]) {
      expect(ignored(excluded), excluded).toBe(true);
    }
  });

  it("lets in what the build and the image need", () => {
    for (const included of [
      "package.json",
      "package-lock.json",
      "tsconfig.json",
      "tsconfig.build.json",
      "bin/verso.js",
      "src/cli.ts",
      "src/http/app.ts",
      "web/index.html",
      "web/vite.config.ts",
      "data/demo/verso-demo-catalog.csv",
    ]) {
      expect(ignored(included), included).toBe(false);
    }
  });

  it("is read as the builder reads it", () => {
    const rules = dockerIgnore("a/*\n!a/keep\n**/*.tmp\n/rooted\n");
    expect(rules("a/x")).toBe(true);
    expect(rules("a/keep/deep/file")).toBe(false);
    expect(rules("b/c/d.tmp")).toBe(true);
    expect(rules("d.tmp")).toBe(true);
    expect(rules("rooted/file")).toBe(true);
    expect(rules("b/rooted")).toBe(false);
  });
});
