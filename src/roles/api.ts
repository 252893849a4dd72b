/**
 * The api role: the HTTP API of search, playlists, songs, the catalog, accounts and the social network,
 * and the built web app at / (registered last: its page fallback answers only what no other
 * route does).
 * The vector index is refreshed from the database on a timer, since another process (a
 * separate worker, `verso ingest`) may change the catalog; each refresh applies what changed.
 */
import type { FastifyPluginAsync } from "fastify";
import type { Verso } from "../compose/index.js";
import { apiPlugins } from "../http/api-plugins.js";
import { artistRoutes } from "../http/artists/routes.js";
import { catalogRoutes } from "../http/catalog/routes.js";
import { musicServerRoutes } from "../http/music-server/routes.js";
import { playlistRoutes } from "../http/playlists/routes.js";
import { searchRoutes } from "../http/search/routes.js";
import { socialRoutes } from "../http/social-routes.js";
import { songsRoutes } from "../http/songs/routes.js";
import { pagePreviews } from "../http/web/preview.js";
import { webAppRoutes } from "../http/web/routes.js";

export async function apiRoutes(verso: Verso): Promise<FastifyPluginAsync[]> {
  const [search, pages, catalog, social, playlists, limits] = [
    await verso.search(),
    await verso.songPages(),
    await verso.catalog(),
    await verso.social(),
    await verso.playlists(),
    await verso.requestLimits(),
  ];
  return [
    // First, so that every later route sees the viewer and counts against the limits.
    ...apiPlugins({ sessions: social.sessions, limits, foreground: verso.foreground }),
    ...socialRoutes(social),
    searchRoutes(search),
    playlistRoutes(playlists),
    musicServerRoutes(playlists.onServer),
    songsRoutes({ pages, similar: (id, k) => search.similar(id, k) }),
    artistRoutes(pages),
    catalogRoutes(catalog),
    webAppRoutes({ previews: pagePreviews({ search, prompts: social.prompts, limits }) }),
  ] as FastifyPluginAsync[];
}

/** Keeps this process's vector index in step with commits of other processes. */
export function followCatalog(verso: Verso, intervalMs = 10_000) {
  const timer = setInterval(() => {
    verso
      .index()
      .then((index) => index.refresh())
      .catch((error: unknown) => verso.log(`index refresh failed: ${String(error)}`));
  }, intervalMs);
  timer.unref();
  return { stop: async () => clearInterval(timer) };
}
