/**
 * Serves the built web app from the API's own origin. Hashed files under `assets/` never
 * change, so browsers keep them for a year; everything else, index.html first, is revalidated
 * on every load so a new release is seen at once. Any other GET that names no file is a page
 * of the app (the router decides), except under the server's own paths, whose unknown URLs keep
 * their JSON 404.
 */
import fs from "node:fs/promises";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import { packageRoot } from "../../paths.js";
import { withPreview, type PagePreviews, type Preview } from "./preview.js";
import { AppPathParams } from "./schema.js";

/** Where `npm run build` puts the web app. */
export const builtWebAppFolder = path.join(packageRoot, "dist", "web");

/** Paths the app never answers for: they belong to the API and to operations. */
export const serverPathPrefixes = ["/api", "/metrics", "/healthz", "/readyz"] as const;

/**
 * What the app needs and nothing more: its own scripts, styles and API, images inline as data
 * URIs, and no framing by other sites.
 */
export const webAppContentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

export interface WebAppOptions {
  /** The folder holding the built app: index.html, assets/ and the public files. */
  root?: string;
  /** Sent with every page of the app; false leaves the header to someone else. */
  contentSecurityPolicy?: string | false;
  /** Link previews (Open Graph, Twitter cards) for the pages of an answer and of a prompt. */
  previews?: PagePreviews;
}

const immutable = "public, max-age=31536000, immutable";
const revalidate = "no-cache";

const isServerPath = (pathname: string) =>
  serverPathPrefixes.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));

/** A last segment with an extension names a file, never a page of the app. */
const namesAFile = (pathname: string) => /\.[a-z0-9]+$/i.test(pathname.slice(pathname.lastIndexOf("/") + 1));

async function listFiles(root: string): Promise<Set<string>> {
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
  const files = new Set<string>();
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const relative = path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join("/");
    // Vite's manifest is for the build, and the pre-compressed copies are chosen by sendFile.
    if (relative.startsWith(".vite/") || /\.(gz|br)$/.test(relative)) continue;
    files.add(relative);
  }
  return files;
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

export const webAppRoutes =
  (options: WebAppOptions = {}): FastifyPluginAsyncTypebox =>
  async (app) => {
    const root = options.root ?? builtWebAppFolder;
    const policy = options.contentSecurityPolicy ?? webAppContentSecurityPolicy;

    if (!(await exists(path.join(root, "index.html")))) {
      app.log.warn(`no web app in ${root}: run npm run build`);
      app.get("/", { schema: { hide: true } }, async (_request, reply) =>
        reply
          .status(503)
          .type("text/plain; charset=utf-8")
          .send("The web app is not built yet: run `npm run build`, then start Verso again.\n"),
      );
      return;
    }

    const files = await listFiles(root);
    await app.register(fastifyStatic, { root, serve: false, preCompressed: true });

    const built = await fs.readFile(path.join(root, "index.html"), "utf8");
    const sendPage = (reply: FastifyReply, preview: Preview | null = null) => {
      if (policy) reply.header("content-security-policy", policy);
      reply
        .header("cache-control", revalidate)
        .header("x-content-type-options", "nosniff")
        .header("referrer-policy", "same-origin");
      if (!preview) return reply.sendFile("index.html", { cacheControl: false });
      return reply.type("text/html; charset=utf-8").send(withPreview(built, preview));
    };

    /** The preview of a shared answer or prompt; null for every other page. */
    const previewOf = async (request: FastifyRequest, relative: string): Promise<Preview | null> => {
      const previews = options.previews;
      if (!previews) return null;
      const params = new URLSearchParams(request.url.split("?")[1] ?? "");
      const prompt = params.get("q")?.trim();
      if (relative === "" && prompt) {
        const asker = {
          address: request.ip,
          account: request.viewer ? String(request.viewer.user.id) : undefined,
        };
        return previews.answer(prompt, { asker, songs: [...params.keys()].every((key) => key === "q") });
      }
      const promptId = /^prompts\/(\d{1,15})$/.exec(relative)?.[1];
      return promptId ? previews.prompt(Number(promptId)) : null;
    };

    app.get("/*", { schema: { hide: true, params: AppPathParams } }, async (request, reply) => {
      const pathname = request.url.split("?")[0] ?? "/";
      if (isServerPath(pathname)) return reply.callNotFound();
      const relative = request.params["*"];
      if (relative === "" || relative === "index.html")
        return sendPage(reply, await previewOf(request, relative));
      if (files.has(relative)) {
        return reply
          .header("cache-control", relative.startsWith("assets/") ? immutable : revalidate)
          .header("x-content-type-options", "nosniff")
          .sendFile(relative, { cacheControl: false });
      }
      if (namesAFile(relative)) return reply.callNotFound();
      return sendPage(reply, await previewOf(request, relative));
    });
  };
