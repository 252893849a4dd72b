/**
 * A process answers from the moment its port opens: 503 with Retry-After while its roles start,
 * then the real answers, on the same connections; no request in between is refused or reset.
 */
import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/paths.js";
import { tempDir } from "../support/verso.js";
import { freePort } from "../support/ports.js";

const children: ReturnType<typeof spawn>[] = [];
afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
});

describe("start-up", () => {
  it("answers 503 and then the real answer, with no connection refused or reset once the port is open", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ["bin/verso.js", "serve"], {
      cwd: packageRoot,
      env: {
        ...process.env,
        VERSO_DATA_DIR: tempDir("verso-start-"),
        VERSO_PORT: String(port),
        VERSO_HOST: "127.0.0.1",
        VERSO_DEMO: "false",
        VERSO_EMBED_THREADS: "1",
        VERSO_LOG_LEVEL: "warn",
      },
      stdio: "ignore",
    });
    children.push(child);
    const url = `http://127.0.0.1:${port}/api/catalog/status`;
    const seen: string[] = [];
    const deadline = Date.now() + 120_000;
    let answered = false;
    let readyFor = 0;
    // fetch keeps its connections alive: the requests after the first travel on them.
    while (readyFor < 20 && Date.now() < deadline) {
      const outcome = await fetch(url).then(
        async (response) => {
          await response.arrayBuffer();
          return String(response.status);
        },
        (error: unknown) => `error ${String((error as { cause?: { code?: string } }).cause?.code ?? error)}`,
      );
      if (outcome !== "error ECONNREFUSED" || answered) seen.push(outcome);
      if (!outcome.startsWith("error")) answered = true;
      if (outcome === "200") readyFor++;
      await sleep(10);
    }
    expect(readyFor, `never ready: ${seen.slice(-5).join(", ")}`).toBe(20);
    expect(seen.filter((outcome) => outcome.startsWith("error"))).toEqual([]);
    expect(new Set(seen)).toEqual(new Set(seen.includes("503") ? ["503", "200"] : ["200"]));
    // Once the real app answers, it keeps answering.
    expect(seen.slice(seen.indexOf("200"))).not.toContain("503");
  });
});
