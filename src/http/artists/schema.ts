import { Type } from "typebox";
import { PageQuery } from "../schemas.js";

export const ArtistParams = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100, description: "the artist's name, as songs write it" }),
});

export const ArtistSongsQuery = PageQuery;
