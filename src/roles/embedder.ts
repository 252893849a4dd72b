/** The embedder role: the embedding model as an HTTP service for other processes. */
import type { FastifyPluginAsync } from "fastify";
import type { Verso } from "../compose/index.js";
import { embedderRoutes } from "../http/embedder/routes.js";

export async function embedderServiceRoutes(verso: Verso): Promise<FastifyPluginAsync[]> {
  const embedder = await verso.embedder();
  return [
    embedderRoutes({
      embedder,
      ...(embedder.stats ? { load: embedder.stats.bind(embedder) } : {}),
    }) as FastifyPluginAsync,
  ];
}
