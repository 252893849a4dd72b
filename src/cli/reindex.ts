/** `verso reindex`: the passages embedded with another model than the configured one, embedded again. */
import { composeVerso } from "../compose/index.js";
import { CatalogReindex } from "../core/catalog/reindex.js";
import { configFrom } from "./options.js";
import { progressBar } from "./progress.js";

export async function reindex(options: Record<string, unknown>): Promise<number> {
  const config = configFrom(options);
  const verso = composeVerso(config);
  try {
    const [{ reembedding }, embedder, index] = [
      await verso.catalogStores(),
      await verso.embedder(),
      await verso.index(),
    ];
    await index.refresh();
    const bar = progressBar(
      "{bar} {percentage}% | {value}/{total} passages | {songs} songs | ETA {timeLeft}",
    );
    let started = false;
    const reindexing = new CatalogReindex({ store: reembedding, embedder, indexWriter: index });
    const result = await reindexing.run((p) => {
      if (p.passagesTotal === 0) return;
      if (!started) {
        console.log(`re-embedding ${p.passagesTotal} passages with ${embedder.model.name}`);
        bar.start(p.passagesTotal, { songs: 0 });
        started = true;
      }
      bar.update(p.passagesDone, { songs: p.songsDone });
    });
    if (started) bar.stop();
    console.log(
      result.passagesTotal === 0
        ? `nothing to do: every passage is embedded with ${embedder.model.name}`
        : `re-embedded ${result.passagesDone} passages of ${result.songsDone} songs (from ${result.models.join(", ")}) with ${embedder.model.name}`,
    );
    return 0;
  } finally {
    await verso.close();
  }
}
