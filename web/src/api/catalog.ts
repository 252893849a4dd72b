/**
 * The catalog's status, and the one place that knows the shape of `GET /api/catalog/status`:
 * when that list gains paging, only this file changes. Callers get a summary with the progress
 * of the ingest under way, if any.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { request } from "./client.js";
import { hasCode } from "./errors.js";
import { keys } from "./keys.js";
import type { CatalogObjectStatus, CatalogStatus, ScanReport } from "./types.js";

export type CatalogObject = CatalogObjectStatus;

export interface IngestRun {
  /** Share of the run's bytes read, 0 to 1. */
  progress: number;
  objects: { total: number; done: number; failed: number };
  /** Songs stored by the run's objects so far. */
  songs: number;
}

export interface CatalogOverview {
  songs: number;
  songsWithPassages: number;
  passages: number;
  objects: CatalogStatus["objects"];
  items: CatalogObject[];
  /** The ingest under way; null when nothing is queued or processing. */
  ingest: IngestRun | null;
}

const isActive = (item: CatalogObject) => item.status === "queued" || item.status === "processing";

/**
 * The run under way: the objects still waiting or being read, and those that finished since the
 * oldest of them was queued (a scan queues its objects one after another, and the first may be
 * done before the last is read). Objects finished before do not make the run look almost done.
 */
export function ingestRun(items: readonly CatalogObject[]): IngestRun | null {
  const active = items.filter(isActive);
  if (active.length === 0) return null;
  const since = Math.min(...active.map((item) => Date.parse(item.queuedAt)));
  const run = items.filter(
    (item) => isActive(item) || (item.finishedAt !== null && Date.parse(item.finishedAt) >= since),
  );
  const size = run.reduce((sum, item) => sum + Math.max(item.size, 1), 0);
  const read = run.reduce((sum, item) => {
    const share = item.status === "done" || item.status === "failed" ? 1 : item.progress;
    return sum + Math.max(item.size, 1) * Math.min(1, Math.max(0, share));
  }, 0);
  return {
    progress: size > 0 ? read / size : 0,
    objects: {
      total: run.length,
      done: run.filter((item) => item.status === "done").length,
      failed: run.filter((item) => item.status === "failed").length,
    },
    songs: run.reduce((sum, item) => sum + item.songs, 0),
  };
}

export function summarize(status: CatalogStatus): CatalogOverview {
  return {
    songs: status.songs,
    songsWithPassages: status.songsWithPassages,
    passages: status.passages,
    objects: status.objects,
    items: status.items,
    ingest: ingestRun(status.items),
  };
}

/** The server is up and its roles are not yet: the API answers 503 DEPENDENCY_UNAVAILABLE. */
export const isStarting = (error: unknown) => hasCode(error, "DEPENDENCY_UNAVAILABLE");

/**
 * Whether the catalog's last answer said that Verso is starting. A query that never succeeded
 * forgets its error while it asks again, so reading the error alone would blink a notice off
 * at every poll; only an answer changes what is known.
 */
export function useStarting(catalog: { error: unknown; isFetching: boolean }): boolean {
  const [starting, setStarting] = useState(false);
  const answered = isStarting(catalog.error);
  if (!catalog.isFetching && answered !== starting) setStarting(answered);
  return starting;
}

/** Polled often while Verso starts or an ingest runs, rarely otherwise. */
export function useCatalog(options: { idlePollMs?: number | false } = {}) {
  const idle = options.idlePollMs ?? 30_000;
  return useQuery({
    queryKey: keys.catalog,
    queryFn: ({ signal }) => request<CatalogStatus>("GET", "/api/catalog/status", { signal }),
    select: summarize,
    // While Verso starts the poll below asks again; retries would only hide that it is starting.
    retry: (failures, error) => !isStarting(error) && failures < 2,
    refetchInterval: (query) => {
      if (isStarting(query.state.error)) return 1500;
      const data = query.state.data;
      if (data && ingestRun(data.items)) return 1500;
      return idle;
    },
  });
}

export function useScan() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => request<ScanReport>("POST", "/api/catalog/scan"),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.catalog }),
  });
}
