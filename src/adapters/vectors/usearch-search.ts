/**
 * A search of the embedded index's graphs (usearch-graphs.ts): a language filter searches its
 * own graph, no filter or another one every graph, keeping the best. usearch's binding has no
 * predicate search, so a filter on other attributes asks a graph for more neighbours than it
 * needs and keeps those of matching songs: how many more comes from the filter's selectivity in
 * that graph, known exactly from the song attributes; when too few match (a filter correlated
 * with the query's region) it asks again for more, up to the whole graph, so a filter never
 * empties an answer the index could fill. See USEARCH_FILTER_DEFAULTS for the constants.
 */
import type { Index } from "usearch";
import { isRestrictive, type SongFilter } from "../../core/catalog/song-filter.js";
import type { VectorHit } from "../../core/ports.js";
import { clampScore } from "./common.js";
import type { SongAttributeTable } from "./song-attribute-table.js";
import type { GraphLanguage, LanguageGraphs } from "./usearch-graphs.js";
import type { UsearchFilterOptions } from "./usearch-options.js";

export interface SearchedGraphs {
  graphs: LanguageGraphs;
  /** The song attributes of every passage: a record per song, a slot per passage. */
  songs: SongAttributeTable;
  songOf: ReadonlyMap<number, number>;
  filter: UsearchFilterOptions;
}

/** Up to `wanted` (≥ 1) nearest passages of songs the filter accepts, nearest first. */
export function searchGraphs(
  index: SearchedGraphs,
  vector: Float32Array,
  wanted: number,
  filter: SongFilter | undefined,
): VectorHit[] {
  const match = isRestrictive(filter) ? index.songs.match(filter) : null;
  const searched: [GraphLanguage, Index][] = [];
  if (filter?.language === undefined) searched.push(...index.graphs.nonEmpty());
  else {
    const language = filter.language.toLowerCase();
    const graph = index.graphs.get(language);
    if (graph !== undefined) searched.push([language, graph]);
  }
  const hits: VectorHit[] = [];
  for (const [language, graph] of searched) {
    const passages = match === null ? graph.size() : (match.passagesByLanguage.get(language) ?? 0);
    if (passages > 0)
      hits.push(...searchGraph(index, graph, vector, wanted, match?.accepted ?? null, passages));
  }
  if (searched.length === 1) return hits;
  // Sorting is stable: hits of equal score keep each graph's order.
  return hits.sort((a, b) => b.score - a.score).slice(0, wanted);
}

/**
 * Up to `wanted` nearest hits of one graph among its passages of accepted song records, of
 * which it holds `passages` (all of them when `accepted` is null).
 */
function searchGraph(
  index: SearchedGraphs,
  native: Index,
  vector: Float32Array,
  wanted: number,
  accepted: Uint8Array | null,
  passages: number,
): VectorHit[] {
  const target = Math.min(wanted, passages);
  const total = native.size();
  if (accepted === null || passages >= total) return nearest(index, native, vector, target, null, target);
  const { overfetch, widening, wholeIndexShare } = index.filter;
  const firstFetch = Math.ceil(((target * total) / passages) * overfetch);
  const capped = (wanted: number) => (wanted >= total * wholeIndexShare ? total : wanted);
  let fetch = capped(Math.max(target, firstFetch));
  for (;;) {
    const hits = nearest(index, native, vector, fetch, accepted, target);
    if (hits.length >= target || fetch >= total) return hits;
    // The share of matches among the neighbours just fetched says how far this query's region
    // is from the graph's selectivity.
    const local = hits.length / fetch;
    const estimate = local > 0 ? Math.ceil((target / local) * overfetch) : 0;
    fetch = capped(Math.min(total, Math.max(Math.ceil(fetch * widening), estimate)));
  }
}

/**
 * Asks the graph for `fetch` neighbours and keeps up to `wanted` of those whose song record is
 * accepted (all when `accepted` is null), nearest first.
 */
function nearest(
  index: SearchedGraphs,
  native: Index,
  vector: Float32Array,
  fetch: number,
  accepted: Uint8Array | null,
  wanted: number,
): VectorHit[] {
  // One query is one task, which usearch runs on the calling thread: no thread is spawned.
  const matches = native.search(vector, fetch, 1);
  const hits: VectorHit[] = [];
  for (let i = 0; i < matches.keys.length && hits.length < wanted; i++) {
    const id = Number(matches.keys[i]!);
    const slot = index.songOf.get(id);
    if (slot === undefined || (accepted !== null && accepted[slot] !== 1)) continue;
    // cos distance = 1 − cosine similarity.
    const score = clampScore(1 - matches.distances[i]!);
    hits.push({ id, songId: index.songs.attributes(slot).songId, score });
  }
  return hits;
}
