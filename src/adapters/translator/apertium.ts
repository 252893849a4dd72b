/**
 * Translation with Apertium (Debian's `apertium` and a language pair such as `apertium-eng-spa`),
 * run as a separate process: it is GPL-licensed, and nothing of it is linked in. A prompt is
 * one run (500 characters at most, a fifth of a second), and each is remembered; passages of
 * lyrics at ingest go many to a run, as paragraphs of an HTML document. At most two runs at
 * once, so a flood of new Spanish prompts cannot fork without bound.
 */
import { execFile, spawn } from "node:child_process";
import { Semaphore } from "async-mutex";
import { LRUCache } from "lru-cache";
import type { Translator } from "../../core/ports.js";

/** ISO 639-1 → Apertium's ISO 639-3 codes, for the languages Verso's users write. */
const apertiumCodes: Record<string, string> = {
  en: "eng",
  es: "spa",
  fr: "fra",
  pt: "por",
  ca: "cat",
  it: "ita",
};

const TIMEOUT_MS = 3000;
const MAX_OUTPUT_BYTES = 16 * 1024;

/** The pairs installed, e.g. ["es-en", "en-es"]; empty when Apertium is not there. */
export function installedApertiumPairs(binary = "apertium"): Promise<string[]> {
  const iso1 = Object.fromEntries(Object.entries(apertiumCodes).map(([one, three]) => [three, one]));
  return new Promise((resolve) => {
    execFile(binary, ["-l"], { timeout: TIMEOUT_MS }, (error, stdout) => {
      if (error) return resolve([]);
      const pairs = stdout
        .split("\n")
        .map((line) => /^\s*([a-z]{3})-([a-z]{3})\s*$/.exec(line))
        .flatMap((m) => (m && iso1[m[1]!] && iso1[m[2]!] ? [`${iso1[m[1]!]}-${iso1[m[2]!]}`] : []));
      resolve([...new Set(pairs)]);
    });
  });
}

/** At most this many texts, or this many characters, go to one run of apertium at ingest. */
const BATCH_TEXTS = 64;
const BATCH_CHARS = 24_000;

/** Runs apertium over the input; its output, or undefined when it failed, took too long or said too much. */
function runApertium(
  binary: string,
  args: { pair: string; format: "txt" | "html" },
  input: string,
  limits: { timeoutMs: number; maxOutput: number },
): Promise<string | undefined> {
  return new Promise((resolve) => {
    // apertium reads /dev/stdin, which cannot be opened on the socket Node gives a child as
    // stdin: `cat` passes the text on through a real pipe. The program, the format and the pair
    // are arguments of the shell, never part of its script. -u: unknown words come through as
    // written, without Apertium's "*" mark.
    const child = spawn("sh", ["-c", 'cat | "$0" -f "$1" -u "$2"', binary, args.format, args.pair], {
      stdio: ["pipe", "pipe", "ignore"],
    });
    let output = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), limits.timeoutMs);
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      output += chunk;
      if (output.length > limits.maxOutput) child.kill("SIGKILL");
    });
    child.on("error", () => resolve(undefined));
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? output : undefined);
    });
    child.stdin.on("error", () => {});
    child.stdin.end(input);
  });
}

const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", "#39": "'" };
const decode = (html: string) =>
  html.replace(/&(amp|lt|gt|quot|apos|#39);/g, (_, name: string) => entities[name]!);

/**
 * Texts in groups small enough for one run each: every text a paragraph of an HTML document,
 * which apertium translates and gives back as paragraphs, line breaks kept.
 */
function batches(texts: readonly string[]): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let chars = 0;
  for (const text of texts) {
    if (current.length > 0 && (current.length >= BATCH_TEXTS || chars + text.length > BATCH_CHARS)) {
      out.push(current);
      [current, chars] = [[], 0];
    }
    current.push(text);
    chars += text.length;
  }
  if (current.length > 0) out.push(current);
  return out;
}

export function createApertiumTranslator(options: { pairs: string[]; binary?: string }): Translator {
  const binary = options.binary ?? "apertium";
  const slots = new Semaphore(2);
  const remembered = new LRUCache<string, string>({ max: 5000 });
  const modeOf = (from: string, to: string) =>
    options.pairs.includes(`${from}-${to}`) ? `${apertiumCodes[from]}-${apertiumCodes[to]}` : undefined;

  async function translateBatch(texts: readonly string[], pair: string): Promise<string[] | undefined> {
    // Markup in lyrics is neither kept nor wanted: the paragraphs must stay the only elements.
    const html = texts.map((t) => `<p>${t.replace(/[<>&]/g, " ")}</p>`).join("\n");
    const output = await slots.runExclusive(() =>
      runApertium(binary, { pair, format: "html" }, `${html}\n`, {
        timeoutMs: TIMEOUT_MS + html.length,
        maxOutput: html.length * 4 + MAX_OUTPUT_BYTES,
      }),
    );
    if (output === undefined) return undefined;
    const paragraphs = [...output.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => decode(m[1]!).trim());
    return paragraphs.length === texts.length ? paragraphs : undefined;
  }

  return {
    pairs: options.pairs,
    async translate(text, from, to) {
      const mode = modeOf(from, to);
      if (!mode) return undefined;
      const key = `${mode}\u0000${text}`;
      const known = remembered.get(key);
      if (known !== undefined) return known;
      const output = await slots.runExclusive(() =>
        runApertium(binary, { pair: mode, format: "txt" }, `${text.replace(/\s+/g, " ")}\n`, {
          timeoutMs: TIMEOUT_MS,
          maxOutput: MAX_OUTPUT_BYTES,
        }),
      );
      const translated = output?.replace(/\s+/g, " ").trim();
      if (!translated) return undefined;
      remembered.set(key, translated);
      return translated;
    },
    async translateAll(texts, from, to) {
      const mode = modeOf(from, to);
      if (!mode) return undefined;
      const out: string[] = [];
      for (const batch of batches(texts)) {
        const translated = await translateBatch(batch, mode);
        if (!translated) return undefined;
        out.push(...translated);
      }
      return out;
    },
    async close() {},
  };
}
