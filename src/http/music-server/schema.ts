import { Type } from "typebox";
import { MAX_SERVER_PASSWORD, MAX_SERVER_USERNAME } from "../../core/playlists/server-playlists.js";
import { MAX_STORED_INTEGER } from "../../core/social/cursor.js";
import { Nullable } from "../schemas.js";
import { AskBody } from "../search/schema.js";

export const MusicServerAccountSchema = Type.Object(
  {
    server: Nullable(Type.String(), {
      description:
        "the catalog's music server (a Subsonic server); null when the catalog does not come from one",
    }),
    username: Nullable(Type.String(), {
      description: "my user name there, once I saved my account; the password is never answered",
    }),
  },
  { description: "my account on the catalog's music server, for saving playlists there" },
);

// Generous on the wire; the service trims and answers precisely.
export const MusicServerAccountBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: MAX_SERVER_USERNAME * 2 }),
    password: Type.String({ minLength: 1, maxLength: MAX_SERVER_PASSWORD }),
  },
  { additionalProperties: false },
);

export const ServerPlaylistBody = Type.Union(
  [
    AskBody,
    Type.Object(
      { promptId: Type.Integer({ minimum: 1, maximum: MAX_STORED_INTEGER }) },
      { additionalProperties: false, description: "a published prompt's songs" },
    ),
  ],
  { description: "an ask (as for POST /api/ask), or a published prompt by its id" },
);

export const ServerPlaylistSchema = Type.Object({
  server: Type.String(),
  playlistId: Type.String({ description: "the playlist's id on the server" }),
  name: Type.String({ description: "the prompt" }),
  songIds: Type.Array(Type.String(), { description: "the songs it holds, in the answer's order" }),
  leftOut: Type.Integer({ description: "songs of the answer that are not on the server" }),
  created: Type.Boolean({ description: "false when my playlist of the same name was updated" }),
});
