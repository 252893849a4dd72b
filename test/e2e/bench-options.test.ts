/**
 * The bench scripts' command lines, run as a person runs them: a mistaken option is answered
 * with what went wrong and the options there are (exit 2), not a stack trace, and --help lists
 * the options with their defaults.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const script = (name: string, ...args: string[]) =>
  run(process.execPath, ["--import", "tsx", `bench/${name}.ts`, ...args]);

describe("the bench scripts' options", () => {
  it("answers an unknown option with its name and the usage, exit code 2", async () => {
    const failed = await script("pool", "--bogus").then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toContain("Unknown option '--bogus'");
    expect(failed?.stderr).toContain("usage: npm run pool -- [options]");
    expect(failed?.stderr).toMatch(/^ {2}--depth <value> +\(default 20\)$/m);
    expect(failed?.stderr).not.toMatch(/\n\s+at /);
  });

  it("lists the options with their defaults on --help, exit code 0", async () => {
    const { stdout } = await script("eval", "--help");
    expect(stdout.split("\n")[0]).toBe("usage: npm run eval -- [options]");
    expect(stdout).toMatch(/^ {2}--sets <value> +\(default 2k,demo\)$/m);
    expect(stdout).toMatch(/^ {2}--write-model$/m);
  });
});
