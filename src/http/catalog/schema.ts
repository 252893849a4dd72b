import { Type } from "typebox";
import { PageQuery } from "../users/schema.js";

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const ObjectStatusSchema = Type.Object({
  id: Type.Integer(),
  source: nullable(Type.String({ description: "where the object is listed from (administrators only)" })),
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
  skipped: Type.Integer({ description: "songs stored without passages: no lyrics or placeholder lyrics" }),
  errors: Type.Integer({ description: "rows that could not be read" }),
  removed: Type.Integer({
    description: "songs that left the catalog because this object no longer holds them",
  }),
  songsPerSecond: nullable(Type.Number()),
  error: nullable(Type.String({ description: "why the object failed (or is being retried)" })),
  rowErrors: Type.Array(Type.Object({ line: Type.Integer(), reason: Type.String() }), {
    description: "the first rows that could not be read",
  }),
  queuedAt: Type.String(),
  startedAt: nullable(Type.String()),
  finishedAt: nullable(Type.String()),
  durationMs: nullable(Type.Integer()),
});

export const CatalogStatus = Type.Object({
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
  queue: nullable(
    Type.Object(
      { ready: Type.Integer(), inFlight: Type.Integer(), dead: Type.Integer() },
      { description: "jobs of the ingest queue; null while the queue cannot be reached" },
    ),
  ),
  items: Type.Array(ObjectStatusSchema),
  nextCursor: nullable(Type.String()),
});

export const CatalogStatusQuery = Type.Object({
  cursor: PageQuery.properties.cursor,
  limit: PageQuery.properties.limit,
});

export const ScanReport = Type.Object({
  listed: Type.Integer(),
  queued: Type.Integer(),
  requeued: Type.Integer({ description: "objects whose job was lost, queued again" }),
  removed: Type.Integer({ description: "objects gone from the bucket, removed with their songs" }),
});
