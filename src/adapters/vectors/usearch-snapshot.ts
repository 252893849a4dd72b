/**
 * The snapshot of the embedded index on disk: what is written beside the database, and how it
 * is read back and checked. The one rule: a sidecar on disk never claims a catalog version whose
 * data the files it names do not hold. So:
 *  - Every snapshot goes to new files of its own generation: a graph per song language
 *    (usearch-graphs.ts) `<stem>.<generation>.<n><ext>` and the passages' song attributes
 *    `<stem>.<generation>.songs.json`, captured in the same synchronous step. The sidecar
 *    `<fileName>.json`, written to a temporary name, fsynced and renamed, is the single commit
 *    point and names them all, each graph with its language. A crash at any moment leaves either
 *    the old sidecar with its untouched old files or the new sidecar with its complete new ones.
 *    Old generations are deleted only after the switch.
 *  - The sidecar records the index's stamp, and the graph parameters (connectivity, expansion
 *    at build, quantization): one of other parameters than the configured ones is not loaded,
 *    so a tuning change rebuilds the graph.
 *  - The sidecar records each file's length and SHA-256, checked before loading: usearch (2.25.3)
 *    crashes the whole process (SIGSEGV / abort) on a truncated or corrupted file, which would
 *    otherwise turn one bad disk write into a crash loop at every start. The songs file must
 *    hold exactly the graphs' keys, each passage in the graph of its song's language, or none
 *    is loaded.
 *  - A sidecar of an earlier format (1: no song attributes; 2: one graph for every language) is
 *    ignored, so start-up rebuilds the graphs from the vectors the catalog stores.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Index } from "usearch";
import type { GraphLanguage, LanguageGraphs } from "./usearch-graphs.js";
import type { IndexStamp } from "../../core/ports.js";
import {
  fileSha256,
  isNotFound,
  sha256Of,
  syncFile,
  temporaryPrefix,
  verifyBytes,
  verifyFile,
  writeFileAtomically,
  writeFileDurably,
} from "./durable-file.js";
import { SongAttributeTable } from "./song-attribute-table.js";
import type { UsearchGraphOptions, UsearchQuantization } from "./usearch-options.js";
import { parseSongs, serializeSongs, type PassageSongs } from "./usearch-songs-file.js";

/** 3: a graph per song language (2 had one graph; 1 no song attributes). */
const SIDECAR_FORMAT = 3;
const SONGS_SUFFIX = ".songs.json";
const GENERATION = /^[0-9a-z]+-[0-9a-f]{8}$/;

interface SnapshotFile {
  /** A file of the snapshot's generation in the same directory. */
  file: string;
  bytes: number;
  sha256: string;
}

interface Sidecar {
  format: typeof SIDECAR_FORMAT;
  stamp: IndexStamp;
  /** Every graph that holds a passage; none for an empty index (nothing to load). */
  graphs: (SnapshotFile & { language: GraphLanguage; count: number })[];
  /** The song attributes of the same generation; null exactly when there is no graph. */
  songs: SnapshotFile | null;
  count: number;
  graph: { metric: "cos"; connectivity: number; expansionAdd: number; quantization: UsearchQuantization };
  savedAt: string;
}

/** What a snapshot holds: the graphs at a commit, their passages' songs, and the commit's stamp. */
export interface Snapshot extends PassageSongs {
  stamp: IndexStamp;
  graphs: Map<GraphLanguage, Index>;
}

export interface UsearchSnapshotsDeps {
  directory: string;
  /** Base name of the files, such as "vectors.usearch". */
  fileName: string;
  graph: UsearchGraphOptions;
  /** An empty graph of the configured parameters, to load a snapshot into. */
  newNative: (dimension: number) => Index;
  warn: (message: string) => void;
}

export class UsearchSnapshots {
  /** The files (graph and song attributes) of the snapshot the sidecar on disk names. */
  #currentFiles: string[] = [];

  constructor(private readonly deps: UsearchSnapshotsDeps) {}

  /**
   * The snapshot the sidecar names, checked; null, with a warning if one was there, when none
   * can be trusted. Creates the directory when it does not exist yet.
   */
  async load(): Promise<Snapshot | null> {
    await mkdir(this.deps.directory, { recursive: true });
    let text: string;
    try {
      text = await readFile(this.#sidecarPath, "utf8");
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
    const problem = (why: string) => {
      this.deps.warn(`ignoring ${this.#sidecarPath}: ${why}; the index starts empty`);
      return null;
    };
    let sidecar: Sidecar;
    try {
      sidecar = parseSidecar(JSON.parse(text));
    } catch (error) {
      return problem(messageOf(error));
    }
    const { graph } = sidecar;
    if (
      graph.connectivity !== this.deps.graph.connectivity ||
      graph.expansionAdd !== this.deps.graph.expansionAdd ||
      graph.quantization !== this.deps.graph.quantization
    ) {
      return problem("it was built with other graph parameters");
    }
    const generation = sidecar.songs === null ? null : this.#generationOf(sidecar.songs.file, SONGS_SUFFIX);
    const strangers = sidecar.graphs.filter((entry, n) => entry.file !== this.#graphFile(generation, n));
    if (generation === null ? sidecar.graphs.length > 0 : strangers.length > 0) {
      const named = [...sidecar.graphs.map((entry) => entry.file), sidecar.songs?.file ?? "no songs file"];
      return problem(`it names unexpected files ${named.join(", ")}`);
    }
    if (sidecar.songs === null) {
      if (sidecar.count !== 0) return problem("it names no snapshot for a non-empty index");
      this.#currentFiles = [];
      const songs = { table: new SongAttributeTable(), songOf: new Map<number, number>() };
      return { stamp: sidecar.stamp, graphs: new Map(), ...songs };
    }

    let graphs: Map<GraphLanguage, Index>;
    let songs: PassageSongs;
    try {
      ({ graphs, songs } = await this.#readFiles(sidecar, sidecar.songs));
    } catch (error) {
      return problem(`its snapshot cannot be loaded (${messageOf(error)})`);
    }
    if (songs.songOf.size !== sidecar.count || !holdsEveryPassage(sidecar, graphs, songs)) {
      return problem(`its snapshot ${sidecar.songs.file} does not match its graphs`);
    }
    this.#currentFiles = [...sidecar.graphs.map((entry) => entry.file), sidecar.songs.file];
    return { stamp: sidecar.stamp, graphs, ...songs };
  }

  /**
   * Writes the graphs and their songs as a new generation and switches the sidecar to it. All
   * are captured before the first await, so they cannot change in between. Answers whether the
   * snapshot was saved; a failure is reported, its files removed, and the old snapshot stays.
   */
  async save(stamp: IndexStamp, graphs: LanguageGraphs | null, songs: PassageSongs): Promise<boolean> {
    const { directory } = this.deps;
    const held = graphs === null ? [] : [...graphs.nonEmpty()];
    const generation = held.length > 0 ? this.#newGeneration() : null;
    const written: string[] = [];
    try {
      const graphFiles: Sidecar["graphs"] = [];
      let songsFile: Sidecar["songs"] = null;
      if (generation !== null) {
        const songsText = serializeSongs(songs.table, songs.songOf);
        const names = held.map((_, n) => this.#graphFile(generation, n));
        const songsName = `${this.#stem}.${generation}${SONGS_SUFFIX}`;
        written.push(...names, songsName);
        held.forEach(([, native], n) => native.save(path.join(directory, names[n]!)));
        await writeFileDurably(path.join(directory, songsName), songsText);
        for (const [n, [language, native]] of held.entries()) {
          const target = path.join(directory, names[n]!);
          await syncFile(target);
          const [bytes, sha256] = [(await stat(target)).size, await fileSha256(target)];
          graphFiles.push({ language, file: names[n]!, bytes, sha256, count: native.size() });
        }
        songsFile = {
          file: songsName,
          bytes: Buffer.byteLength(songsText, "utf8"),
          sha256: sha256Of(songsText),
        };
      }
      const sidecar: Sidecar = {
        format: SIDECAR_FORMAT,
        stamp: { ...stamp },
        graphs: graphFiles,
        songs: songsFile,
        count: songs.songOf.size,
        graph: {
          metric: "cos",
          connectivity: this.deps.graph.connectivity,
          expansionAdd: this.deps.graph.expansionAdd,
          quantization: this.deps.graph.quantization,
        },
        savedAt: new Date().toISOString(),
      };
      await writeFileAtomically(this.#sidecarPath, `${JSON.stringify(sidecar, null, 2)}\n`);
    } catch (error) {
      this.deps.warn(`saving the index failed, it will be retried: ${messageOf(error)}`);
      await this.#remove(written);
      return false;
    }
    const previous = this.#currentFiles;
    this.#currentFiles = written;
    await this.#remove(previous.filter((name) => !this.#currentFiles.includes(name)));
    return true;
  }

  /** Leftovers of saves that crashed, or of generations replaced while another process read them. */
  async removeStaleFiles(): Promise<void> {
    const sidecarTemp = temporaryPrefix(`${this.deps.fileName}.json`);
    for (const name of await readdir(this.deps.directory)) {
      const stale =
        (this.#isSnapshotName(name) && !this.#currentFiles.includes(name)) || name.startsWith(sidecarTemp);
      if (stale) await rm(path.join(this.deps.directory, name), { force: true });
    }
  }

  async #readFiles(
    sidecar: Sidecar,
    songsEntry: SnapshotFile,
  ): Promise<{ graphs: Map<GraphLanguage, Index>; songs: PassageSongs }> {
    for (const entry of sidecar.graphs) {
      await verifyFile(path.join(this.deps.directory, entry.file), entry.bytes, entry.sha256);
    }
    const songsBytes = await readFile(path.join(this.deps.directory, songsEntry.file));
    verifyBytes(songsEntry.file, songsBytes, songsEntry.bytes, songsEntry.sha256);
    const songs = parseSongs(songsBytes.toString("utf8"));
    const graphs = new Map<GraphLanguage, Index>();
    for (const entry of sidecar.graphs) {
      const native = this.deps.newNative(sidecar.stamp.dimension);
      native.load(path.join(this.deps.directory, entry.file));
      if (native.dimensions() !== sidecar.stamp.dimension || native.size() !== entry.count) {
        throw new Error(`${entry.file} does not hold what the sidecar says`);
      }
      graphs.set(entry.language, native);
    }
    return { graphs, songs };
  }

  async #remove(names: readonly string[]): Promise<void> {
    for (const name of names) {
      await rm(path.join(this.deps.directory, name), { force: true }).catch(() => undefined);
    }
  }

  get #sidecarPath(): string {
    return path.join(this.deps.directory, `${this.deps.fileName}.json`);
  }

  /** `vectors.usearch` → stem `vectors`, extension `.usearch`. */
  get #nameParts(): { stem: string; ext: string } {
    const ext = path.extname(this.deps.fileName);
    return { stem: this.deps.fileName.slice(0, this.deps.fileName.length - ext.length), ext };
  }

  get #stem(): string {
    return this.#nameParts.stem;
  }

  /** The n-th graph file of a generation: `<stem>.<generation>.<n><ext>`. */
  #graphFile(generation: string | null, n: number): string {
    return `${this.#stem}.${generation}.${n}${this.#nameParts.ext}`;
  }

  /** The generation of a snapshot file name with this ending, or null when it is not one. */
  #generationOf(name: string, ending: string): string | null {
    const prefix = `${this.#stem}.`;
    if (!name.startsWith(prefix) || !name.endsWith(ending)) return null;
    const generation = name.slice(prefix.length, name.length - ending.length);
    return GENERATION.test(generation) ? generation : null;
  }

  /**
   * A file of some snapshot generation: a graph `<stem>.<generation>.<n><ext>` (or, of format
   * 2, `<stem>.<generation><ext>`) or song attributes `<stem>.<generation>.songs.json`.
   */
  #isSnapshotName(name: string): boolean {
    const { ext } = this.#nameParts;
    if (this.#generationOf(name, SONGS_SUFFIX) !== null || this.#generationOf(name, ext) !== null)
      return true;
    if (!name.endsWith(ext)) return false;
    const numbered = /\.[0-9]+$/.exec(name.slice(0, name.length - ext.length));
    return numbered !== null && this.#generationOf(name.slice(0, numbered.index) + ext, ext) !== null;
  }

  #newGeneration(): string {
    return `${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
  }
}

function parseSidecar(value: unknown): Sidecar {
  const fail = (why: string): never => {
    throw new Error(why);
  };
  if (typeof value !== "object" || value === null) fail("not an object");
  const record = value as Record<string, unknown>;
  if (record.format === 1 || record.format === 2) {
    fail(
      `it is of an earlier format ${record.format}, ${record.format === 1 ? "without song attributes" : "one graph for every language"}`,
    );
  }
  if (record.format !== SIDECAR_FORMAT) fail(`unknown format ${String(record.format)}`);
  const stamp = record.stamp as Record<string, unknown> | null | undefined;
  if (
    typeof stamp !== "object" ||
    stamp === null ||
    typeof stamp.model !== "string" ||
    !Number.isInteger(stamp.dimension) ||
    (stamp.dimension as number) <= 0 ||
    !Number.isSafeInteger(stamp.catalogVersion)
  ) {
    fail("malformed stamp");
  }
  const isFile = (entry: Record<string, unknown>) =>
    typeof entry.file === "string" && Number.isInteger(entry.bytes) && typeof entry.sha256 === "string";
  const graphs = record.graphs;
  if (
    !Array.isArray(graphs) ||
    !graphs.every(
      (entry: Record<string, unknown> | null) =>
        typeof entry === "object" &&
        entry !== null &&
        isFile(entry) &&
        (entry.language === null || typeof entry.language === "string") &&
        Number.isInteger(entry.count),
    ) ||
    new Set(graphs.map((entry: { language: GraphLanguage }) => entry.language)).size !== graphs.length
  ) {
    fail("malformed graphs");
  }
  const songs = record.songs as Record<string, unknown> | null | undefined;
  if (
    ((graphs as unknown[]).length === 0) !== (songs === null) ||
    (songs !== null && (typeof songs !== "object" || !isFile(songs)))
  ) {
    fail("malformed songs");
  }
  if (!Number.isInteger(record.count) || (record.count as number) < 0) fail("malformed count");
  const graph = record.graph as Record<string, unknown> | null | undefined;
  if (typeof graph !== "object" || graph === null || graph.metric !== "cos") fail("malformed graph");
  return value as Sidecar;
}

/** Every passage of the songs file is in the graph of its song's language, and no graph holds more. */
function holdsEveryPassage(
  sidecar: Sidecar,
  graphs: ReadonlyMap<GraphLanguage, Index>,
  songs: PassageSongs,
): boolean {
  const keys = new Map<GraphLanguage, bigint[]>();
  for (const [id, slot] of songs.songOf) {
    const language = songs.table.attributes(slot).language;
    const list = keys.get(language);
    if (list === undefined) keys.set(language, [BigInt(id)]);
    else list.push(BigInt(id));
  }
  if (keys.size !== graphs.size) return false;
  for (const [language, ids] of keys) {
    const graph = graphs.get(language);
    if (graph === undefined || graph.size() !== ids.length) return false;
    const found = graph.contains(BigUint64Array.from(ids));
    if (!(Array.isArray(found) ? found : [found]).every(Boolean)) return false;
  }
  return true;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
