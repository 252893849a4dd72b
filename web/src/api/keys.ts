/**
 * Query keys in one place. Every query whose data holds prompts sits under "prompts", so a
 * like can be shown at once wherever that prompt is on screen.
 */
import type { SongFilters } from "./answer-query.js";

const lower = (name: string) => name.toLowerCase();

export const keys = {
  session: ["session"] as const,
  /** An answer: the prompt, its filters and how many songs (null: the first answer's). */
  ask: (prompt: string, filters: SongFilters = {}, k: number | null = null) =>
    ["ask", prompt, filters, k] as const,
  allAsks: ["ask"] as const,
  song: (id: string) => ["songs", id] as const,
  passage: (id: string, ordinal: number) => ["songs", id, "passages", ordinal] as const,
  artistSongs: (name: string) => ["artists", name, "songs"] as const,
  similar: (id: string) => ["songs", id, "similar"] as const,
  allPrompts: ["prompts"] as const,
  promptSearch: (q: string) => ["prompts", "search", q] as const,
  prompt: (id: number) => ["prompts", "one", id] as const,
  feed: ["prompts", "feed"] as const,
  promptsBy: (name: string) => ["prompts", "by", lower(name)] as const,
  profile: (name: string) => ["people", "profile", lower(name)] as const,
  following: (name: string) => ["people", "following", lower(name)] as const,
  followers: (name: string) => ["people", "followers", lower(name)] as const,
  peopleSearch: (q: string) => ["people", "search", q] as const,
  suggestions: ["people", "suggestions"] as const,
  allPeople: ["people"] as const,
  catalog: ["catalog", "status"] as const,
  /** My account on the catalog's music server (it depends on who is signed in). */
  musicServer: ["me", "music-server"] as const,
};
