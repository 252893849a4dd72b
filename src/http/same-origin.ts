/**
 * Cross-site request forgery: a browser sends our session cookie with a form or fetch another
 * site starts. A request that changes something and does not authenticate with a header
 * (which no other site can make a browser send) must come from our own pages: its
 * Sec-Fetch-Site says so, or else its Origin is ours. A client that sends neither is not a
 * browser, and a cookie it holds was given to it.
 */
import type { FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { VersoError } from "../core/errors.js";

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

function crossSite(request: FastifyRequest): string | null {
  const site = request.headers["sec-fetch-site"];
  if (typeof site === "string") {
    // "none": typed in the address bar or opened from a bookmark, not started by a page.
    return site === "same-origin" || site === "none" ? null : `a ${site} page`;
  }
  const origin = request.headers.origin;
  if (origin === undefined) return null;
  const own = `${request.protocol}://${request.host}`;
  return origin === own ? null : `the page of ${origin === "null" ? "an opaque origin" : origin}`;
}

export const sameOriginPlugin = fp(
  async (app) => {
    app.addHook("onRequest", async (request) => {
      if (safeMethods.has(request.method) || request.headers.authorization !== undefined) return;
      const from = crossSite(request);
      if (from !== null) {
        throw new VersoError(
          "CROSS_SITE_REQUEST",
          `refused a ${request.method} sent by ${from}: sign in on Verso's own pages, or send an Authorization header`,
        );
      }
    });
  },
  { name: "verso-same-origin" },
);
