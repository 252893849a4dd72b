/** A person's own account on the catalog's music server, for saving playlists there. */
export interface MusicServerAccountsTable {
  user_id: number;
  /** The server's address (without credentials) the account was checked against. */
  server: string;
  username: string;
  /**
   * The password, sealed (adapters/secrets/sealed-box.ts): the Subsonic API signs every request
   * with it, so it cannot be hashed. Never answered by the API.
   */
  sealed_password: string;
  updated_at: string;
}

export interface PlaylistTables {
  music_server_accounts: MusicServerAccountsTable;
}
