/**
 * The stand-in that answers while a process's roles start: the web app's page from the first
 * second with the api role, a JSON 503 with Retry-After for everything that needs the roles.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { composeVerso, type Verso } from "../compose/index.js";
import { loadConfig } from "../config.js";
import type { HttpApp } from "../http/app.js";
import { buildStartingApp } from "./server.js";

const folders: string[] = [];
let app: HttpApp | undefined;
let verso: Verso | undefined;
afterEach(async () => {
  await app?.close();
  await verso?.close();
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

const folder = () => {
  const made = fs.mkdtempSync(path.join(os.tmpdir(), "verso-starting-"));
  folders.push(made);
  return made;
};

/** A built web app of one page and one asset. */
function webRoot(): string {
  const root = folder();
  fs.mkdirSync(path.join(root, "assets"));
  fs.writeFileSync(path.join(root, "index.html"), "<!doctype html><title>Verso</title><div id=root></div>");
  fs.writeFileSync(path.join(root, "assets", "app-1234.js"), "console.log('app')");
  return root;
}

async function startingApp(roles: string) {
  verso = composeVerso(loadConfig({}, { dataDir: folder(), roles, demo: "false" }));
  app = await buildStartingApp(verso, verso.config.roles, undefined, undefined, { root: webRoot() });
  return app;
}

describe("a process whose roles are starting", () => {
  it("serves the web app's page and files at once with the api role, and a JSON 503 for the rest", async () => {
    const starting = await startingApp("api");
    for (const url of ["/", "/songs/some-id", "/?q=rain"]) {
      const page = await starting.inject({ method: "GET", url });
      expect(page.statusCode, url).toBe(200);
      expect(page.headers["content-type"]).toMatch(/^text\/html/);
      expect(page.body).toContain("<div id=root>");
    }
    expect((await starting.inject({ method: "GET", url: "/assets/app-1234.js" })).statusCode).toBe(200);

    for (const [method, url] of [
      ["GET", "/api/catalog/status"],
      ["POST", "/api/ask"],
      ["DELETE", "/api/me"],
      ["POST", "/"],
    ] as const) {
      const answer = await starting.inject({ method, url });
      expect(answer.statusCode, `${method} ${url}`).toBe(503);
      expect(answer.headers["retry-after"]).toBe("5");
      expect(answer.json()).toMatchObject({ error: { code: "DEPENDENCY_UNAVAILABLE" } });
    }
    expect((await starting.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(503);
    expect((await starting.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    await starting.close();
    await verso?.close();

    // A process without the api role has no page to show.
    const worker = await startingApp("worker");
    const answer = await worker.inject({ method: "GET", url: "/" });
    expect(answer.statusCode).toBe(503);
    expect(answer.json()).toMatchObject({ error: { code: "DEPENDENCY_UNAVAILABLE" } });
  });
});
