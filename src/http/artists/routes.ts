import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { SongPages } from "../../core/catalog/song-pages.js";
import { errors, Paged } from "../schemas.js";
import { presentSong } from "../songs/present.js";
import { ArtistParams, ArtistSongsQuery } from "./schema.js";

/** An artist's page: their songs in the catalog. */
export const artistRoutes =
  (pages: Pick<SongPages, "byArtist">): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/artists/:name/songs",
      {
        schema: {
          tags: ["songs"],
          summary: "The songs of an artist (the whole name, as songs write it), newest first",
          params: ArtistParams,
          querystring: ArtistSongsQuery,
          response: { 200: Paged(Type.Ref("Song")), ...errors(400) },
        },
      },
      async (request) => {
        const page = await pages.byArtist(request.params.name, request.query);
        return { ...page, items: page.items.map(presentSong) };
      },
    );
  };
