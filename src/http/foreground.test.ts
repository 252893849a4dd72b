import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { ForegroundWork } from "../core/foreground-work.js";
import { foregroundPlugin } from "./foreground.js";

describe("requests as foreground work", () => {
  it("counts an API request from its arrival until its answer is sent, failed or not, and no probe", async () => {
    const foreground = new ForegroundWork(60_000);
    const app = Fastify();
    await app.register(foregroundPlugin(foreground));
    app.get("/api/busy", async () => ({ busy: foreground.busy }));
    app.get("/healthz", async () => ({ busy: foreground.busy }));
    app.get("/api/fails", async () => {
      expect(foreground.busy).toBe(true);
      throw new Error("no");
    });
    try {
      expect(foreground.busy).toBe(false);
      expect((await app.inject({ url: "/api/busy" })).json()).toEqual({ busy: true });
      expect(foreground.busy).toBe(false);
      expect((await app.inject({ url: "/api/fails" })).statusCode).toBe(500);
      expect(foreground.busy).toBe(false);
      expect((await app.inject({ url: "/api/nowhere" })).statusCode).toBe(404);
      expect(foreground.busy).toBe(false);
      // A probe is no one waiting for an answer.
      expect((await app.inject({ url: "/healthz" })).json()).toEqual({ busy: false });
      expect(foreground.busy).toBe(false);
    } finally {
      await app.close();
    }
  });
});
