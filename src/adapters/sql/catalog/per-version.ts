/**
 * A figure read from the whole catalog (how many songs, passages), kept for the catalog version
 * it was read at, so that what costs the catalog's size is paid once per change of the catalog,
 * not once per call: an idle catalog's status costs the same at 2,000 songs and at a million.
 */
export interface VersionedFigure<T> {
  value: T;
  /** The catalog version the figure was read at. */
  version: number;
}

export class PerCatalogVersion<T> {
  #kept: VersionedFigure<T> | undefined;
  #reading: { version: number; figure: Promise<VersionedFigure<T>> } | undefined;

  constructor(private readonly read: () => Promise<T>) {}

  /** The figure at `version`: the kept one when it was read at that version, else read again (one read at a time, shared). */
  async get(version: number): Promise<VersionedFigure<T>> {
    if (this.#kept?.version === version) return this.#kept;
    const reading = this.#reading;
    if (reading?.version === version) return reading.figure;
    if (reading) {
      // A read begun before the newest commit may miss it: wait for it, then read again.
      await reading.figure.catch(() => undefined);
      return this.get(version);
    }
    const figure = this.read()
      .then((value) => {
        // Stamped with the version asked for: a commit during the read makes it look older than
        // it is, so it is read again next time, never kept for a version it does not show.
        this.#kept = { value, version };
        return this.#kept;
      })
      .finally(() => {
        this.#reading = undefined;
      });
    this.#reading = { version, figure };
    return figure;
  }
}
