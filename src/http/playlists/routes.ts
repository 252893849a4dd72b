/**
 * An answer, or a published prompt's songs, as a playlist file to download: M3U8 or XSPF. Each
 * costs what its JSON twin costs (the ask, the prompt's page): a search, counted against the
 * same budget, and a prompt is found under the same rules of who may see it.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { create as contentDisposition } from "content-disposition";
import type { FastifyReply } from "fastify";
import { playlistFileName, type Playlist } from "../../core/playlists/playlist.js";
import type { PlaylistFormat, PlaylistFormats } from "../../core/playlists/playlist-format.js";
import type { PlaylistService } from "../../core/playlists/playlist-service.js";
import { PromptParams } from "../prompts/schema.js";
import { errors } from "../schemas.js";
import { askOfQuery, PlaylistAskQuery, playlistFile } from "./schema.js";

export interface PlaylistRouteDeps {
  playlists: PlaylistService;
  formats: PlaylistFormats;
}

const formatNames: Record<keyof PlaylistFormats, string> = { m3u8: "M3U8", xspf: "XSPF" };

/** The name for clients that read only the plain `filename`: accents dropped, other letters `_`. */
const asciiFallback = (name: string) =>
  name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[^\x20-\x7e]/g, "_");

function sendPlaylist(reply: FastifyReply, format: PlaylistFormat, playlist: Playlist) {
  const name = playlistFileName(playlist.title, format.extension);
  return reply
    .type(format.mediaType)
    .header("content-disposition", contentDisposition(name, { fallback: asciiFallback(name) }))
    .header("cache-control", "no-store")
    .send(format.write(playlist));
}

export const playlistRoutes =
  ({ playlists, formats }: PlaylistRouteDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    for (const format of Object.values(formats)) {
      const name = formatNames[format.name];
      const file = { 200: playlistFile(format.mediaType, name) };
      app.get(
        `/api/ask.${format.extension}`,
        {
          schema: {
            tags: ["playlists"],
            summary: `The songs of an ask as an ${name} playlist to download, in the answer's order`,
            querystring: PlaylistAskQuery,
            produces: [format.mediaType],
            response: { ...file, ...errors(400, 429, 503) },
          },
          config: { rateLimit: "search" },
        },
        async (request, reply) =>
          sendPlaylist(reply, format, await playlists.ofAnswer(askOfQuery(request.query))),
      );
      app.get(
        `/api/prompts/:id.${format.extension}`,
        {
          schema: {
            tags: ["playlists"],
            summary: `The songs a published prompt finds as an ${name} playlist to download`,
            params: PromptParams,
            produces: [format.mediaType],
            response: { ...file, ...errors(400, 404, 429, 503) },
          },
          config: { rateLimit: "search" },
        },
        async (request, reply) =>
          sendPlaylist(reply, format, await playlists.ofPrompt(request.params.id, request.viewer)),
      );
    }
  };
