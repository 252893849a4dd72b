/**
 * The CI script installs Debian packages without letting them start services (a policy-rc.d
 * that refuses, while apt-get runs), so it never has to end a process it did not start, and
 * it ends none by name.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readRepoFile, repoRoot } from "./support.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs .ci/install-packages with an apt-get that, as a package's maintainer script does through
 * invoke-rc.d, asks the policy whether it may start its service, and records the answer.
 */
function install(options: { existingPolicy?: string; aptFails?: boolean } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verso-ci-"));
  dirs.push(dir);
  const policy = path.join(dir, "policy-rc.d");
  if (options.existingPolicy !== undefined) fs.writeFileSync(policy, options.existingPolicy, { mode: 0o755 });
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  const log = path.join(dir, "apt.log");
  fs.writeFileSync(
    path.join(bin, "apt-get"),
    [
      "#!/bin/sh",
      `if [ "$1" = install ]; then "${policy}" prometheus start; echo "start allowed: $?" >> "${log}"; fi`,
      `echo "apt-get $*" >> "${log}"`,
      options.aptFails ? `[ "$1" = install ] && exit 100` : "",
      "exit 0",
    ].join("\n"),
    { mode: 0o755 },
  );
  const ran = spawnSync(path.join(repoRoot, ".ci", "install-packages"), ["prometheus", "memcached"], {
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, POLICY_RC_D: policy },
    encoding: "utf8",
  });
  return {
    code: ran.status,
    log: fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "",
    policyAfter: fs.existsSync(policy) ? fs.readFileSync(policy, "utf8") : null,
  };
}

describe("the CI script", () => {
  it("refuses every service start while packages install, and removes the policy after", () => {
    const { code, log, policyAfter } = install();
    expect(code).toBe(0);
    expect(log).toContain("start allowed: 101");
    expect(log).toContain("apt-get install -y -q prometheus memcached");
    expect(policyAfter).toBeNull();
  });

  it("puts back a policy that was there before, and removes its own when apt-get fails", () => {
    expect(install({ existingPolicy: "#!/bin/sh\nexit 0\n" }).policyAfter).toBe("#!/bin/sh\nexit 0\n");
    const failed = install({ aptFails: true });
    expect(failed.code).not.toBe(0);
    expect(failed.policyAfter).toBeNull();
  });

  it("installs through it, and ends no process by name", () => {
    const script = readRepoFile(".ci/run");
    expect(script).toMatch(/\.ci\/install-packages "\$\{missing\[@\]\}"/);
    expect(script).not.toMatch(/apt-get install/);
    expect(script).not.toMatch(/\b(pkill|killall)\b|\bkill\s+-\w*\s*\$\(pgrep/);
  });
});
