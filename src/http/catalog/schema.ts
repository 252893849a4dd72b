import { Type } from "typebox";
import { Nullable, Paged } from "../schemas.js";

export const ObjectStatusSchema = Type.Object({
  id: Type.Integer(),
  source: Nullable(Type.String({ description: "where the object is listed from (administrators only)" })),
  key: Type.String({ description: "the object's key, relative to its bucket" }),
  status: Type.Union([
    Type.Literal("queued"),
    Type.Literal("processing"),
    Type.Literal("done"),
    Type.Literal("failed"),
  ]),
  size: Type.Integer(),
  progress: Type.Number({ description: "share of the object read, 0 to 1" }),
  songs: Type.Integer(),
  passages: Type.Integer(),
  reusedPassages: Type.Integer({
    description: "passages that took a vector already stored for the same text, instead of being embedded",
  }),
  skipped: Type.Integer({ description: "songs stored without passages: no lyrics or placeholder lyrics" }),
  errors: Type.Integer({ description: "rows that could not be read: skipped" }),
  changed: Type.Integer({
    description:
      "rows kept as songs with a value changed or left out (out of range, not a number, a repeated id…)",
  }),
  removed: Type.Integer({
    description: "songs that left the catalog because this object no longer holds them",
  }),
  songsPerSecond: Nullable(Type.Number()),
  error: Nullable(Type.String({ description: "why the object failed (or is being retried)" })),
  rowErrors: Type.Array(
    Type.Object({
      line: Type.Integer(),
      reason: Type.String(),
      kind: Type.Union([Type.Literal("skipped"), Type.Literal("changed")], {
        description: "skipped: the row is not a song; changed: a song, with a value changed or left out",
      }),
    }),
    { description: "the first row reports, by line" },
  ),
  queuedAt: Type.String(),
  startedAt: Nullable(Type.String()),
  finishedAt: Nullable(Type.String()),
  durationMs: Nullable(Type.Integer()),
});

export const CatalogStatusSchema = Type.Object({
  catalogVersion: Type.Integer(),
  songs: Type.Integer(),
  songsWithPassages: Type.Integer(),
  passages: Type.Integer(),
  objects: Type.Object({
    queued: Type.Integer(),
    processing: Type.Integer(),
    done: Type.Integer(),
    failed: Type.Integer(),
  }),
  queue: Nullable(
    Type.Object(
      { ready: Type.Integer(), inFlight: Type.Integer(), dead: Type.Integer() },
      { description: "jobs of the ingest queue; null while the queue cannot be reached" },
    ),
  ),
  ...Paged(ObjectStatusSchema).properties,
});

export const ScanReportSchema = Type.Object({
  listed: Type.Integer(),
  queued: Type.Integer(),
  requeued: Type.Integer({ description: "objects whose job was lost, queued again" }),
  removed: Type.Integer({ description: "objects gone from the bucket, removed with their songs" }),
});
