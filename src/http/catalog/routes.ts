import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { CatalogObject, CatalogStore } from "../../core/catalog/store.js";
import type { QueueStats } from "../../core/ports.js";
import { errors } from "../schemas.js";

const ObjectStatus = Type.Object({
  source: Type.String(),
  key: Type.String(),
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
  songsPerSecond: Type.Union([Type.Number(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  rowErrors: Type.Array(Type.Object({ line: Type.Integer(), reason: Type.String() }), {
    description: "the first rows that could not be read",
  }),
  queuedAt: Type.String(),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
});

const CatalogStatus = Type.Object({
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
  queue: Type.Object({ ready: Type.Integer(), inFlight: Type.Integer(), dead: Type.Integer() }),
  items: Type.Array(ObjectStatus),
});

export interface CatalogDeps {
  store: CatalogStore;
  queueStats(): Promise<QueueStats>;
  /** Lists the configured bucket and queues what changed; answers what was queued. */
  scan(): Promise<{ listed: number; queued: number }>;
  /** Throws unless the request comes from an administrator. */
  requireAdmin(request: FastifyRequest): Promise<void>;
}

const rowErrorsShown = 20;

async function presentObject(store: CatalogStore, o: CatalogObject) {
  const seconds = o.durationMs
    ? o.durationMs / 1000
    : o.startedAt
      ? (Date.now() - Date.parse(o.startedAt)) / 1000
      : 0;
  return {
    source: o.source,
    key: o.key,
    status: o.status,
    size: o.size,
    progress: o.status === "done" ? 1 : o.size > 0 ? Math.min(1, o.bytesDone / o.size) : 0,
    songs: o.songs,
    passages: o.passages,
    skipped: o.skipped,
    errors: o.errors,
    songsPerSecond: seconds > 0 ? Number((o.songs / seconds).toFixed(2)) : null,
    error: o.error,
    rowErrors: o.errors > 0 ? await store.rowErrors(o.id, rowErrorsShown) : [],
    queuedAt: o.queuedAt,
    startedAt: o.startedAt,
    finishedAt: o.finishedAt,
    durationMs: o.durationMs,
  };
}

export const catalogRoutes =
  (deps: CatalogDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/catalog/status",
      {
        schema: {
          tags: ["catalog"],
          summary: "What the catalog holds and how ingest is going",
          response: { 200: CatalogStatus },
        },
      },
      async () => {
        const [totals, queue, objects] = await Promise.all([
          deps.store.totals(),
          deps.queueStats(),
          deps.store.listObjects(),
        ]);
        return {
          ...totals,
          queue,
          items: await Promise.all(objects.map((o) => presentObject(deps.store, o))),
        };
      },
    );

    app.post(
      "/api/catalog/scan",
      {
        schema: {
          tags: ["catalog"],
          summary: "List the bucket now and queue new or changed objects (administrators)",
          security: [{ bearer: [] }, { cookie: [] }],
          response: {
            202: Type.Object({ listed: Type.Integer(), queued: Type.Integer() }),
            ...errors(401, 403),
          },
        },
        preHandler: async (request) => deps.requireAdmin(request),
      },
      async (_request, reply) => reply.status(202).send(await deps.scan()),
    );
  };
