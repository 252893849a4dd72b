/**
 * Every API request (`/api/…`) is foreground work from the moment it arrives until its answer is sent
 * (or the client goes away): an ingest in the same process waits at its next step rather than
 * hold the event loop the request needs (core/foreground-work.ts). Registered first, so that
 * the session and limit lookups of a request count too.
 */
import type { FastifyPluginAsync } from "fastify";
import fp from "fastify-plugin";
import type { ForegroundWork } from "../core/foreground-work.js";

declare module "fastify" {
  interface FastifyRequest {
    endForeground: (() => void) | null;
  }
}

export const foregroundPlugin = (foreground: Pick<ForegroundWork, "begin">): FastifyPluginAsync =>
  fp(
    async (app) => {
      app.decorateRequest("endForeground", null);
      app.addHook("onRequest", async (request) => {
        // Health probes and metrics scrapes are no one waiting for an answer.
        if (request.url.startsWith("/api/")) request.endForeground = foreground.begin();
      });
      const end = async (request: { endForeground: (() => void) | null }) => request.endForeground?.();
      app.addHook("onResponse", end);
      app.addHook("onRequestAbort", end);
    },
    { name: "verso-foreground" },
  );
