/**
 * The ports of saving answers as playlists on the catalog's own music server (a Subsonic
 * server): the server, reached with a person's own account on it, and the store of those
 * accounts. An account is one person's: it is never shared between Verso accounts, and its
 * password is never shown again once saved.
 */

/** A person's account on the music server. */
export interface MusicServerAccount {
  username: string;
  password: string;
}

export interface SavedServerPlaylist {
  /** The playlist's id on the server. */
  id: string;
  /** False when a playlist of the same name, of the same account, was updated instead. */
  created: boolean;
}

export interface PlaylistServer {
  /** The server's address, without credentials: what people are told and what accounts are saved for. */
  readonly address: string;
  /** Checks the account on the server (fails with SUBSONIC_AUTH_FAILED when refused). */
  check(account: MusicServerAccount): Promise<void>;
  /**
   * Makes the account's playlist of this name hold these songs (server ids), in this order:
   * its own playlist of that name is updated, else a new one is made. One attempt: a refusal
   * fails at once, never retried.
   */
  savePlaylist(
    account: MusicServerAccount,
    name: string,
    songIds: readonly string[],
  ): Promise<SavedServerPlaylist>;
}

/** People's accounts on music servers, each kept for the server it was checked against. */
export interface MusicServerAccountStore {
  /** The person's account for this server; null when none is saved, or it is for another server. */
  find(userId: number, server: string): Promise<MusicServerAccount | null>;
  /** Saves (or replaces) the person's account. */
  save(userId: number, server: string, account: MusicServerAccount, now: string): Promise<void>;
  /** Forgets the person's account; nothing when none is saved. */
  remove(userId: number): Promise<void>;
}
