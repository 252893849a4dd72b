/**
 * What the songs' own pages read: one song with its lyrics, the passage of it an answer
 * matched (by its position, which answers carry), and the songs of one artist, newest first, a
 * page at a time.
 */
import { VersoError } from "../errors.js";
import { cursorCodec, pageOf, type Page } from "../social/cursor.js";
import type { Song, SongWithLyrics } from "./song.js";
import type { SongPageStore, SongStore } from "./store.js";

export type SongPagesStore = Pick<SongStore, "getSong"> & SongPageStore;

const artistCodec = cursorCodec("artist-songs", ["integer", "integer"]);

const songNotFound = (id: string) => new VersoError("SONG_NOT_FOUND", `no song with id ${id}`);

export class SongPages {
  constructor(private readonly store: SongPagesStore) {}

  async song(id: string): Promise<SongWithLyrics> {
    const song = await this.store.getSong(id);
    if (!song) throw songNotFound(id);
    return song;
  }

  /** The passage at this position of the song (0 is the first). */
  async passage(songId: string, ordinal: number): Promise<{ ordinal: number; text: string }> {
    const passage = await this.store.passageAt(songId, ordinal);
    if (passage) return passage;
    if (!(await this.store.getSong(songId))) throw songNotFound(songId);
    throw new VersoError("PASSAGE_NOT_FOUND", `song ${songId} has no passage ${ordinal}`);
  }

  /** The songs with this artist among theirs, the name written as the songs write it. */
  async byArtist(artist: string, page: { cursor?: string; limit: number }): Promise<Page<Song>> {
    const after = page.cursor === undefined ? undefined : artistCodec.decode(page.cursor);
    const rows = await this.store.songsByArtist(artist, {
      ...(after ? { after } : {}),
      limit: page.limit + 1,
    });
    return pageOf(
      rows,
      page.limit,
      artistCodec,
      (row) => [...row.position],
      (row) => row.song,
    );
  }
}
