/**
 * The URL schemes each port's setting accepts: one per adapter (a bare word such as `memory`
 * counts as its own scheme). Configuration validates against this table at start, and the
 * adapter registry (registry.ts) has a factory for every entry; a test holds the two together.
 */
export const portSchemes = {
  database: ["sqlite", "mysql", "mariadb", "postgres", "postgresql"],
  vectors: [
    "embedded",
    "http",
    "https",
    "elasticsearch+http",
    "elasticsearch+https",
    "opensearch+http",
    "opensearch+https",
  ],
  queue: ["db", "amqp", "amqps"],
  bucket: ["file", "s3"],
  library: ["none", "file", "subsonic", "subsonics"],
  cache: ["memory", "memcached", "redis", "rediss"],
  embedder: ["use-lite", "onnx", "http", "https"],
  translator: ["auto", "apertium", "none"],
} as const;

export type Port = keyof typeof portSchemes;

/** `redis://host` → "redis", `sqlite:./x.db` → "sqlite", `memory` → "memory". */
export function schemeOf(url: string): string {
  return (/^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1] ?? url).toLowerCase();
}
