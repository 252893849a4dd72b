/**
 * Translation with Apertium (Debian's `apertium` and a language pair such as `apertium-eng-spa`),
 * run as a separate process per prompt: it is GPL-licensed, and nothing of it is linked in.
 * Prompts are short (500 characters at most), a translation takes a fifth of a second, and each
 * one is remembered; at most two run at once, so a flood of new Spanish prompts cannot fork
 * without bound.
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

export function createApertiumTranslator(options: { pairs: string[]; binary?: string }): Translator {
  const binary = options.binary ?? "apertium";
  const slots = new Semaphore(2);
  const remembered = new LRUCache<string, string>({ max: 5000 });

  function run(pair: string, text: string): Promise<string | undefined> {
    return new Promise((resolve) => {
      // apertium reads /dev/stdin, which cannot be opened on the socket Node gives a child as
      // stdin: `cat` passes the text on through a real pipe. The program and the pair are
      // arguments of the shell, never part of its script. -u: unknown words come through as
      // written, without Apertium's "*" mark.
      const child = spawn("sh", ["-c", 'cat | "$0" -u "$1"', binary, pair], {
        stdio: ["pipe", "pipe", "ignore"],
      });
      let output = "";
      const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
      child.stdout.setEncoding("utf8");
      child.stdout.on("data", (chunk: string) => {
        output += chunk;
        if (output.length > MAX_OUTPUT_BYTES) child.kill("SIGKILL");
      });
      child.on("error", () => resolve(undefined));
      child.on("close", (code) => {
        clearTimeout(timer);
        const translated = output.replace(/\s+/g, " ").trim();
        resolve(code === 0 && translated !== "" ? translated : undefined);
      });
      child.stdin.on("error", () => {});
      child.stdin.end(`${text.replace(/\s+/g, " ")}\n`);
    });
  }

  return {
    pairs: options.pairs,
    async translate(text, from, to) {
      const pair = `${from}-${to}`;
      if (!options.pairs.includes(pair)) return undefined;
      const key = `${pair}\u0000${text}`;
      const known = remembered.get(key);
      if (known !== undefined) return known;
      const translated = await slots.runExclusive(() =>
        run(`${apertiumCodes[from]}-${apertiumCodes[to]}`, text),
      );
      if (translated !== undefined) remembered.set(key, translated);
      return translated;
    },
    async close() {},
  };
}
