/**
 * The catalog's use cases for people: what the catalog holds and how ingest is going (a page of
 * objects at a time, each with its first bad rows, read in one query), and the administrator's
 * "scan now". What a stranger sees is bounded and says nothing about the server: keys relative
 * to their bucket, reasons without file paths or stack traces; administrators see it all.
 */
import type { QueueStats } from "../ports.js";
import { cursorCodec, pageOf, type Page } from "../social/cursor.js";
import type { CatalogObject, CatalogStatusStore, CatalogTotals, ObjectStatus, RowReport } from "./store.js";

export interface ObjectView {
  id: number;
  /** Where the object is listed from; only administrators see it (it may name server paths). */
  source: string | null;
  key: string;
  status: ObjectStatus;
  size: number;
  /** Share of the object read, 0 to 1. */
  progress: number;
  songs: number;
  passages: number;
  /** Passages that took a vector stored for the same text instead of being embedded. */
  reusedPassages: number;
  skipped: number;
  /** Rows skipped: not songs. */
  errors: number;
  /** Rows kept as songs with a value changed or left out. */
  changed: number;
  removed: number;
  songsPerSecond: number | null;
  error: string | null;
  /** The first row reports: rows skipped, and values changed or left out. */
  rowErrors: RowReport[];
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}

export interface CatalogStatus extends CatalogTotals, Page<ObjectView> {
  queue: QueueStats | null;
}

export interface ScanReport {
  listed: number;
  queued: number;
  requeued: number;
  removed: number;
}

export interface CatalogServiceDeps {
  status: CatalogStatusStore;
  queueStats(): Promise<QueueStats>;
  /** Lists the configured bucket now; `force` queues failed objects again at once. */
  scan(options: { force: boolean }): Promise<ScanReport>;
  clock?: () => Date;
}

const statusCodec = cursorCodec("catalog-objects", ["integer"]);
export const ROW_ERRORS_SHOWN = 20;

/** The longest reason a stranger is shown. */
export const PUBLIC_REASON_MAX = 200;

/**
 * A reason fit for anyone, treated as untrusted output: its first line only (reasons put what
 * they quote of a file, such as a header, on the lines after it), without URLs, without paths
 * (absolute, relative or Windows; a catalog file's own name is kept), without anything quoted
 * (a cell's value, say), without control characters, and short.
 */
export function sanitizeReason(reason: string): string {
  const firstLine = reason.split(/\r?\n/)[0] ?? "";
  const clean = firstLine
    .replace(/[a-z][a-z0-9+.-]*:\/\/[^\s'"]*/gi, "…")
    .replace(/"(?:[^"\\]|\\.)*"|'[^'\s][^']*'|“[^”]*”|«[^»]*»/g, "“…”")
    .replace(/(?<![\w.~-])(?:[A-Za-z]:|~|\.{1,2})?[\\/][^\s'"“”,;()]+/g, (match) => {
      const name = match.split(/[\\/]/).at(-1) ?? "";
      return /\.csv$/i.test(name) ? `…/${name}` : "…";
    })
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return clean.length > PUBLIC_REASON_MAX ? `${clean.slice(0, PUBLIC_REASON_MAX - 1)}…` : clean;
}

export class CatalogService {
  private readonly clock: () => Date;

  constructor(private readonly deps: CatalogServiceDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /** The catalog's totals, the queue's figures, and a page of objects in the order they were first listed. */
  async status(query: { cursor?: string; limit: number; admin: boolean }): Promise<CatalogStatus> {
    const { status } = this.deps;
    const afterId = query.cursor === undefined ? undefined : statusCodec.decode(query.cursor)[0];
    const [totals, queue, objects] = await Promise.all([
      status.totals(),
      // The broker away must not hide the catalog: the queue's figures are simply unknown.
      this.deps.queueStats().catch(() => null),
      status.listObjects({ ...(afterId !== undefined ? { afterId } : {}), limit: query.limit + 1 }),
    ]);
    const shown = objects.slice(0, query.limit);
    const errors = await status.rowErrors(
      shown.filter((o) => o.errors > 0 || o.changed > 0).map((o) => o.id),
      ROW_ERRORS_SHOWN,
    );
    const page = pageOf(
      objects,
      query.limit,
      statusCodec,
      (o) => [o.id],
      (o) => this.present(o, errors.get(o.id) ?? [], query.admin),
    );
    return { ...totals, queue, ...page };
  }

  /** Lists the bucket now, queueing failed objects again at once. */
  scan(): Promise<ScanReport> {
    return this.deps.scan({ force: true });
  }

  private present(o: CatalogObject, rowErrors: RowReport[], admin: boolean): ObjectView {
    const now = this.clock().getTime();
    const seconds = o.durationMs
      ? o.durationMs / 1000
      : o.startedAt && o.status === "processing"
        ? (now - Date.parse(o.startedAt)) / 1000
        : 0;
    return {
      id: o.id,
      source: admin ? o.source : null,
      key: o.key,
      status: o.status,
      size: o.size,
      progress: o.status === "done" ? 1 : o.size > 0 ? Math.min(1, o.bytesDone / o.size) : 0,
      songs: o.songs,
      passages: o.passages,
      reusedPassages: o.reused,
      skipped: o.skipped,
      errors: o.errors,
      changed: o.changed,
      removed: o.removed,
      songsPerSecond: seconds > 0 ? Number((o.songs / seconds).toFixed(2)) : null,
      error: o.error === null ? null : admin ? o.error : sanitizeReason(o.error),
      rowErrors: admin ? rowErrors : rowErrors.map((e) => ({ ...e, reason: sanitizeReason(e.reason) })),
      queuedAt: o.queuedAt,
      startedAt: o.startedAt,
      finishedAt: o.finishedAt,
      durationMs: o.durationMs,
    };
  }
}
