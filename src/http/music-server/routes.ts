/**
 * My account on the catalog's music server, and answers saved as playlists there with it.
 * Saving an account checks it on the server, and a playlist costs a search and a write on
 * another server: both count against the budgets of a search and of publishing.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { ServerPlaylists } from "../../core/playlists/server-playlists.js";
import { requireViewer, signedIn } from "../access.js";
import { errors, NoBody } from "../schemas.js";
import {
  MusicServerAccountBody,
  MusicServerAccountSchema,
  ServerPlaylistBody,
  ServerPlaylistSchema,
} from "./schema.js";

export const musicServerRoutes =
  (playlists: ServerPlaylists): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/me/music-server",
      signedIn({
        schema: {
          tags: ["playlists"],
          summary: "The catalog's music server, and my user name there if I saved my account",
          response: { 200: MusicServerAccountSchema, ...errors(401) },
        },
      }),
      async (request) => playlists.account(requireViewer(request)),
    );

    app.put(
      "/api/me/music-server",
      signedIn({
        schema: {
          tags: ["playlists"],
          summary: "Save my account on the catalog's music server, once the server accepts it",
          body: MusicServerAccountBody,
          response: { 200: MusicServerAccountSchema, ...errors(400, 401, 404, 413, 415, 429, 503) },
        },
        config: { rateLimit: "publish" },
      }),
      async (request) => playlists.saveAccount(requireViewer(request), request.body),
    );

    app.delete(
      "/api/me/music-server",
      signedIn({
        schema: {
          tags: ["playlists"],
          summary: "Forget my account on the music server",
          body: NoBody,
          response: { 204: Type.Null(), ...errors(401) },
        },
      }),
      async (request, reply) => {
        await playlists.forgetAccount(requireViewer(request));
        return reply.status(204).send(null);
      },
    );

    app.post(
      "/api/playlists",
      signedIn({
        schema: {
          tags: ["playlists"],
          summary:
            "Save an answer (an ask, or a published prompt) as my playlist on the music server, named after the prompt; saving it again updates it",
          body: ServerPlaylistBody,
          response: { 200: ServerPlaylistSchema, ...errors(400, 401, 404, 413, 415, 429, 503) },
        },
        config: { rateLimit: ["publish", "search"] },
      }),
      async (request) => {
        const body = request.body;
        return playlists.save(
          requireViewer(request),
          "promptId" in body ? { promptId: body.promptId } : { ask: body },
        );
      },
    );
  };
