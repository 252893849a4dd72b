/**
 * Songs as the API presents them: each with its links out to listen. Derived when answering,
 * not stored, so answers kept in a cache get today's links too.
 */
import { type ListenLink, listenLinks } from "../../core/catalog/listen-links.js";
import type { Song } from "../../core/catalog/song.js";

/** A domain answer with each song it holds presented: the API's shape of that answer. */
export type Presented<T> = T extends Song
  ? T & { listen: ListenLink[] }
  : T extends readonly (infer Item)[]
    ? Presented<Item>[]
    : T extends object
      ? { [K in keyof T]: Presented<T[K]> }
      : T;

export const presentSong = <S extends Song>(song: S): Presented<S> =>
  ({ ...song, listen: listenLinks(song) }) as Presented<S>;

/** Answers that hold songs as hits (search, similar songs, a prompt's songs). */
export const presentHits = <Hit extends { song: Song }>(hits: readonly Hit[]) =>
  hits.map((hit) => ({ ...hit, song: presentSong(hit.song) }));
