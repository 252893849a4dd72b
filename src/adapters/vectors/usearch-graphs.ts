/**
 * The embedded index's graphs: one HNSW graph per song language (null for songs whose language
 * is not known), as a partition key does in Milvus or a routing key in a search engine's shards.
 *
 * Why. usearch's JavaScript binding has no predicate search, so a filter is answered by asking
 * a graph for more neighbours than wanted and keeping the matching ones. A language filter is
 * the one people set most and the most selective (Spanish is a tenth of the 2k catalog, other
 * languages a hundredth or less), and its matches lie far from an English prompt: one graph for
 * every language had to be walked thousands of neighbours deep (118 ms median at a million
 * passages, `npm run bench -- --only scale`). With a graph per language, a language filter is
 * an ordinary search of its own graph, and an unfiltered search asks each graph for k and keeps
 * the k best: a search for 200 neighbours took 1.1 ms at 100,000 nodes and 1.5 ms at 300,000 on
 * clustered 512-d vectors (ef 512), so the few large languages of a catalog add a millisecond
 * or two each, and the many small ones less.
 */
import type { Index } from "usearch";

export type GraphLanguage = string | null;

export class LanguageGraphs {
  readonly #graphs: Map<GraphLanguage, Index>;

  constructor(
    private readonly newGraph: () => Index,
    graphs: ReadonlyMap<GraphLanguage, Index> = new Map(),
  ) {
    this.#graphs = new Map(graphs);
  }

  get(language: GraphLanguage): Index | undefined {
    return this.#graphs.get(language);
  }

  /** The graph of a language, created empty the first time a passage of that language comes. */
  graphOf(language: GraphLanguage): Index {
    let graph = this.#graphs.get(language);
    if (graph === undefined) {
      graph = this.newGraph();
      this.#graphs.set(language, graph);
    }
    return graph;
  }

  /** Every graph that holds a passage. */
  *nonEmpty(): IterableIterator<[GraphLanguage, Index]> {
    for (const entry of this.#graphs) if (entry[1].size() > 0) yield entry;
  }
}
