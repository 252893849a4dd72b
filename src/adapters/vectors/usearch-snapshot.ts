/**
 * The snapshot of the embedded index on disk: what is written beside the database, and how it
 * is read back and checked. The one rule: a sidecar on disk never claims a catalog version whose
 * data the files it names do not hold. So:
 *  - Every snapshot goes to new files of its own generation: the graph `<stem>.<generation><ext>`
 *    and the passages' song attributes `<stem>.<generation>.songs.json`, captured in the same
 *    synchronous step. The sidecar `<fileName>.json`, written to a temporary name, fsynced and
 *    renamed, is the single commit point and names both. A crash at any moment leaves either
 *    the old sidecar with its untouched old files or the new sidecar with its complete new ones.
 *    Old generations are deleted only after the switch.
 *  - The sidecar records the index's stamp, and the graph parameters (connectivity, expansion
 *    at build, quantization): one of other parameters than the configured ones is not loaded,
 *    so a tuning change rebuilds the graph.
 *  - The sidecar records each file's length and SHA-256, checked before loading: usearch 2.25.3
 *    crashes the whole process (SIGSEGV / abort) on a truncated or corrupted file, which would
 *    otherwise turn one bad disk write into a crash loop at every start. The songs file must
 *    hold exactly the graph's keys, or neither is loaded.
 *  - A sidecar of the format before song attributes existed is ignored, so start-up rebuilds.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Index } from "usearch";
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

/** 2: the snapshot carries the passages' song attributes (format 1 did not; it is rebuilt). */
const SIDECAR_FORMAT = 2;
const SONGS_SUFFIX = ".songs.json";
const GENERATION = /^[0-9a-z]+-[0-9a-f]{8}$/;

interface Sidecar {
  format: typeof SIDECAR_FORMAT;
  stamp: IndexStamp;
  /** The snapshot file in the same directory; null for an empty index (nothing to load). */
  file: string | null;
  bytes: number;
  sha256: string | null;
  /** The song attributes of the same generation; null exactly when file is null. */
  songs: { file: string; bytes: number; sha256: string } | null;
  count: number;
  graph: { metric: "cos"; connectivity: number; expansionAdd: number; quantization: UsearchQuantization };
  savedAt: string;
}

/** What a snapshot holds: the graph at a commit, its passages' songs, and the commit's stamp. */
export interface Snapshot extends PassageSongs {
  stamp: IndexStamp;
  native: Index;
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
    if (sidecar.file !== null && this.#songsFileOf(sidecar.file) !== sidecar.songs?.file) {
      return problem(`it names unexpected files ${sidecar.file}, ${sidecar.songs?.file ?? "no songs file"}`);
    }
    if (sidecar.file === null || sidecar.songs === null) {
      if (sidecar.count !== 0) return problem("it names no snapshot for a non-empty index");
      this.#currentFiles = [];
      const songs = { table: new SongAttributeTable(), songOf: new Map<number, number>() };
      return { stamp: sidecar.stamp, native: this.deps.newNative(sidecar.stamp.dimension), ...songs };
    }

    let native: Index;
    let songs: PassageSongs;
    try {
      ({ native, songs } = await this.#readFiles(sidecar, sidecar.file, sidecar.songs));
    } catch (error) {
      return problem(`its snapshot ${sidecar.file} cannot be loaded (${messageOf(error)})`);
    }
    if (
      native.dimensions() !== sidecar.stamp.dimension ||
      native.size() !== sidecar.count ||
      songs.songOf.size !== sidecar.count ||
      !holdsEveryKey(native, songs.songOf)
    ) {
      return problem(`its snapshot ${sidecar.file} does not match it`);
    }
    this.#currentFiles = [sidecar.file, sidecar.songs.file];
    return { stamp: sidecar.stamp, native, ...songs };
  }

  /**
   * Writes the graph and its songs as a new generation and switches the sidecar to it. Both are
   * captured before the first await, so they cannot change in between. Answers whether the
   * snapshot was saved; a failure is reported, its files removed, and the old snapshot stays.
   */
  async save(stamp: IndexStamp, native: Index | null, songs: PassageSongs): Promise<boolean> {
    const { directory } = this.deps;
    const count = native?.size() ?? 0;
    const files = count > 0 ? this.#newGeneration() : null;
    try {
      let graphFile: Pick<Sidecar, "bytes" | "sha256"> = { bytes: 0, sha256: null };
      let songsFile: Sidecar["songs"] = null;
      if (files !== null) {
        const target = path.join(directory, files.graph);
        native!.save(target);
        const songsText = serializeSongs(songs.table, songs.songOf);
        await writeFileDurably(path.join(directory, files.songs), songsText);
        await syncFile(target);
        graphFile = { bytes: (await stat(target)).size, sha256: await fileSha256(target) };
        songsFile = {
          file: files.songs,
          bytes: Buffer.byteLength(songsText, "utf8"),
          sha256: sha256Of(songsText),
        };
      }
      const sidecar: Sidecar = {
        format: SIDECAR_FORMAT,
        stamp: { ...stamp },
        file: files?.graph ?? null,
        ...graphFile,
        songs: songsFile,
        count,
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
      if (files !== null) await this.#remove([files.graph, files.songs]);
      return false;
    }
    const previous = this.#currentFiles;
    this.#currentFiles = files === null ? [] : [files.graph, files.songs];
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
    graphName: string,
    songsEntry: NonNullable<Sidecar["songs"]>,
  ): Promise<{ native: Index; songs: PassageSongs }> {
    const file = path.join(this.deps.directory, graphName);
    const songsFile = path.join(this.deps.directory, songsEntry.file);
    await verifyFile(file, sidecar.bytes, sidecar.sha256!);
    const songsBytes = await readFile(songsFile);
    verifyBytes(path.basename(songsFile), songsBytes, songsEntry.bytes, songsEntry.sha256);
    const songs = parseSongs(songsBytes.toString("utf8"));
    const native = this.deps.newNative(sidecar.stamp.dimension);
    native.load(file);
    return { native, songs };
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

  /** A file of some snapshot generation: `<stem>.<generation><ext>` or `<stem>.<generation>.songs.json`. */
  #isSnapshotName(name: string): boolean {
    const { stem, ext } = this.#nameParts;
    if (!name.startsWith(`${stem}.`)) return false;
    const rest = name.slice(stem.length + 1);
    const generation = rest.endsWith(SONGS_SUFFIX)
      ? rest.slice(0, -SONGS_SUFFIX.length)
      : rest.endsWith(ext)
        ? rest.slice(0, rest.length - ext.length)
        : null;
    return generation !== null && GENERATION.test(generation);
  }

  #newGeneration(): { graph: string; songs: string } {
    const { stem, ext } = this.#nameParts;
    const generation = `${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
    return { graph: `${stem}.${generation}${ext}`, songs: `${stem}.${generation}${SONGS_SUFFIX}` };
  }

  /** The songs file that belongs with a graph file, or null when the name is not a graph file's. */
  #songsFileOf(graphFile: string): string | null {
    const { stem, ext } = this.#nameParts;
    if (!graphFile.startsWith(`${stem}.`) || !graphFile.endsWith(ext)) return null;
    const generation = graphFile.slice(stem.length + 1, graphFile.length - ext.length);
    return GENERATION.test(generation) ? `${stem}.${generation}${SONGS_SUFFIX}` : null;
  }
}

function parseSidecar(value: unknown): Sidecar {
  const fail = (why: string): never => {
    throw new Error(why);
  };
  if (typeof value !== "object" || value === null) fail("not an object");
  const record = value as Record<string, unknown>;
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
  if (record.file !== null && typeof record.file !== "string") fail("malformed file");
  if (!Number.isInteger(record.bytes) || (record.file !== null && typeof record.sha256 !== "string")) {
    fail("malformed checksum");
  }
  const songs = record.songs as Record<string, unknown> | null | undefined;
  if (
    (record.file === null) !== (songs === null) ||
    (songs !== null &&
      (typeof songs !== "object" ||
        typeof songs.file !== "string" ||
        !Number.isInteger(songs.bytes) ||
        typeof songs.sha256 !== "string"))
  ) {
    fail("malformed songs");
  }
  if (!Number.isInteger(record.count) || (record.count as number) < 0) fail("malformed count");
  const graph = record.graph as Record<string, unknown> | null | undefined;
  if (typeof graph !== "object" || graph === null || graph.metric !== "cos") fail("malformed graph");
  return value as Sidecar;
}

function holdsEveryKey(native: Index, songOf: ReadonlyMap<number, number>): boolean {
  if (songOf.size === 0) return true;
  const found = native.contains(BigUint64Array.from(songOf.keys(), (id) => BigInt(id)));
  return (Array.isArray(found) ? found : [found]).every(Boolean);
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
